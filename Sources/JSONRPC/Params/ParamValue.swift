import JSON

/// What a `@Param` property can hold: how its member of the params object is read (validated,
/// failing with the precise -32602) and how `rpc.discover` describes it.
///
/// The type also says whether the param is required: a plain value is, `Optional` may be absent
/// (or `null`), and `Nullable` tells absent, `null` and a value apart.
public protocol ParamValue: Sendable {
  /// The value's JSON Schema, with the type's own description if it has one.
  static var schema: JSONSchema { get }
  /// The schema with `description` in place of the type's own (a param's role).
  static func schema(describedAs description: String) -> JSONSchema
  /// Whether a request must give the param (true unless the type says otherwise).
  static var isRequired: Bool { get }
  /// Reads member `key` as a required param (absent: -32602 "required").
  static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self
  /// Reads member `key` as an optional param: nil when absent or `null`, unless the type says otherwise.
  static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> Self?
}

extension ParamValue {
  public static var isRequired: Bool { true }

  public static func schema(describedAs description: String) -> JSONSchema { schema.describing(description) }

  public static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>)
    throws -> Self?
  {
    guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
    return try decodeParam(key, in: container)
  }
}

/// An optional param: absent (or `null`, unless the wrapped type says otherwise) is nil.
extension Optional: ParamValue where Wrapped: ParamValue {
  public static var schema: JSONSchema { Wrapped.schema }
  public static func schema(describedAs description: String) -> JSONSchema {
    Wrapped.schema(describedAs: description)
  }
  public static var isRequired: Bool { false }
  public static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> Wrapped?
  {
    try Wrapped.decodeParamIfPresent(key, in: container)
  }
}

/// A param where absent, `null` and a value mean three things (`updateNumber {name: null}` clears).
extension Nullable: ParamValue where Value: ParamValue {
  public static var schema: JSONSchema { .nullable(Value.schema) }
  public static func schema(describedAs description: String) -> JSONSchema {
    .nullable(Value.schema(describedAs: description))
  }
  public static var isRequired: Bool { false }
  public static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> Nullable<Value>
  {
    guard container.contains(key) else { return .absent }
    if try container.decodeNil(forKey: key) { return .null }
    return .value(try Value.decodeParam(key, in: container))
  }
}

/// A plain JSON value, read as it is: no rule of its own, and `null` for a required one is
/// "expected …, not null" (`String`, `Bool`, `Int`, `Int64`, and `JSONValue`, where `null` is a value).
public protocol PlainParamValue: ParamValue, Decodable {}

extension PlainParamValue {
  public static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
    try container.decode(Self.self, forKey: key)
  }

  public static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>)
    throws -> Self?
  {
    try container.decodeIfPresent(Self.self, forKey: key)
  }
}

extension String: PlainParamValue {
  public static var schema: JSONSchema { .string() }
}

extension Bool: PlainParamValue {
  public static var schema: JSONSchema { .boolean() }
}

extension Int: PlainParamValue {
  public static var schema: JSONSchema { .integer() }
}

extension Int64: PlainParamValue {
  public static var schema: JSONSchema { .integer() }
}

extension JSONValue: PlainParamValue {
  public static var schema: JSONSchema { .any() }
}
