import JSON

/// One by-name param, declared as a property of a method's `MethodParams`:
///
///     struct Params: MethodParams {
///       @Param var profile: ProfileName?
///       @Param(description: "The Twilio number, E.164.") var phoneNumber: E164Number?
///     }
///
/// The property's name is the member's name. Its type (a `ParamValue`) reads and validates the
/// member, gives its schema and says whether it is required (`Optional`: may be absent;
/// `Nullable`: absent, `null` and a value differ). The same declaration yields the content
/// descriptor `rpc.discover` publishes, so nothing about a param is written twice.
@propertyWrapper
public struct Param<Value: ParamValue>: Sendable {
  private enum State: Sendable {
    /// The declaration: what `rpc.discover` says beyond the value type. (Decoding starts from the
    /// declaration too, so a declared schema is built only when `rpc.discover` asks.)
    case declared(description: String?, schema: (@Sendable () -> JSONSchema)?, summary: String?)
    case decoded(Value)
  }
  private let state: State

  /// A param described by its value type alone.
  public init() { state = .declared(description: nil, schema: nil, summary: nil) }

  /// A param whose schema says `description` (its role) instead of the value type's own; `summary`
  /// is the descriptor's own one-line summary, if any.
  public init(description: String, summary: String? = nil) {
    state = .declared(description: description, schema: nil, summary: summary)
  }

  /// A param published with `schema` (for a plain value whose bounds are documentation only).
  public init(schema: @autoclosure @escaping @Sendable () -> JSONSchema, summary: String? = nil) {
    state = .declared(description: nil, schema: schema, summary: summary)
  }

  init(decoded value: Value) { state = .decoded(value) }

  /// The decoded value (params are read only once decoded).
  public var wrappedValue: Value {
    guard case .decoded(let value) = state else {
      preconditionFailure("a @Param is read on decoded params only, not on the declaration")
    }
    return value
  }

  /// The OpenRPC content descriptor of this param, named `name`.
  func descriptor(named name: String) -> ContentDescriptor {
    var schema = Value.schema
    var summary: String?
    if case .declared(let description, let declared, let declaredSummary) = state {
      if let declared {
        schema = declared()
      } else if let description {
        schema = Value.schema(describedAs: description)
      }
      summary = declaredSummary
    }
    return ContentDescriptor(name, schema, required: Value.isRequired, summary: summary)
  }
}

/// A declared param, whatever its value type (for listing a declaration's params).
protocol DeclaredParam {
  func descriptor(named name: String) -> ContentDescriptor
}

extension Param: DeclaredParam {}

extension Param: Decodable {
  /// Unused: a `@Param` is read as a member of its params object (see `KeyedDecodingContainer.decode`).
  public init(from decoder: any Decoder) throws {
    throw DecodingError.dataCorrupted(
      .init(codingPath: decoder.codingPath, debugDescription: "a @Param is read as a member of its params"))
  }
}

extension KeyedDecodingContainer {
  /// How a `MethodParams`' synthesized `init(from:)` reads each `@Param`: through its value type,
  /// which decides what absent and `null` mean and validates the value.
  public func decode<Value>(_ type: Param<Value>.Type, forKey key: Key) throws -> Param<Value> {
    Param(decoded: try Value.decodeParam(key, in: self))
  }
}
