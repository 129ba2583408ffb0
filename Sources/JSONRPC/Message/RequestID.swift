import JSON

/// A request id exactly as the client sent it.
///
/// Numbers keep their source token (`1`, `1.0` and `1e0` are three different ids and each is
/// echoed as written); `null` is a real id, distinct from an absent one.
public enum RequestID: Hashable, Sendable, CustomStringConvertible {
  case string(String)
  /// A numeric id as its JSON token.
  case number(String)
  case null

  /// The id from a JSON value, or `nil` when the value cannot be an id (object, array, boolean).
  public init?(_ value: JSONValue) {
    switch value {
    case .string(let s): self = .string(s)
    case .number(let token): self = .number(token)
    case .null: self = .null
    default: return nil
    }
  }

  public var json: JSONValue {
    switch self {
    case .string(let s): .string(s)
    case .number(let token): .number(token)
    case .null: .null
    }
  }

  public var description: String {
    switch self {
    case .string(let s): "\"\(s)\""
    case .number(let token): token
    case .null: "null"
    }
  }
}
