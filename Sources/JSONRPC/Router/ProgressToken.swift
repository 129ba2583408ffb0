import JSON

/// A `workDoneToken` or `partialResultToken`: a string or an integer chosen by the client.
public enum ProgressToken: Hashable, Sendable {
  case string(String)
  case integer(String)

  init?(_ value: JSONValue) {
    switch value {
    case .string(let s): self = .string(s)
    case .number(let token) where Int(token) != nil: self = .integer(token)
    default: return nil
    }
  }

  var json: JSONValue {
    switch self {
    case .string(let s): .string(s)
    case .integer(let token): .number(token)
    }
  }

  static let schema = JSONSchema.oneOf([.string(), .integer()])
}
