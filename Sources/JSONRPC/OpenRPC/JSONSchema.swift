import JSON

/// A JSON Schema (draft-07) for OpenRPC content descriptors, built with small helpers.
public struct JSONSchema: Sendable, Equatable {
  public var json: JSONValue

  public init(_ json: JSONValue) { self.json = json }

  private static func build(_ type: String, _ extra: [(String, JSONValue?)], description: String?) -> JSONSchema {
    var object: JSONObject = ["type": .string(type)]
    if let description { object["description"] = .string(description) }
    for (key, value) in extra { if let value { object[key] = value } }
    return JSONSchema(.object(object))
  }

  public static func string(
    description: String? = nil, pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
    format: String? = nil, enumValues: [String]? = nil, writeOnly: Bool = false
  ) -> JSONSchema {
    build(
      "string",
      [
        ("pattern", pattern.map { .string($0) }), ("minLength", minLength.map { .int($0) }),
        ("maxLength", maxLength.map { .int($0) }), ("format", format.map { .string($0) }),
        ("enum", enumValues.map { .array($0.map { .string($0) }) }), ("writeOnly", writeOnly ? .bool(true) : nil),
      ], description: description)
  }

  public static func integer(description: String? = nil, minimum: Int? = nil, maximum: Int? = nil) -> JSONSchema {
    build(
      "integer", [("minimum", minimum.map { .int($0) }), ("maximum", maximum.map { .int($0) })],
      description: description)
  }

  public static func number(description: String? = nil) -> JSONSchema { build("number", [], description: description) }

  public static func boolean(description: String? = nil) -> JSONSchema {
    build("boolean", [], description: description)
  }

  public static let null = JSONSchema(["type": "null"])

  /// Any JSON value.
  public static func any(description: String? = nil) -> JSONSchema {
    JSONSchema(description.map { .object(["description": .string($0)]) } ?? .object([:]))
  }

  public static func array(_ items: JSONSchema, description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil)
    -> JSONSchema
  {
    build(
      "array",
      [("items", items.json), ("minItems", minItems.map { .int($0) }), ("maxItems", maxItems.map { .int($0) })],
      description: description)
  }

  /// An object with the given properties (in order); `additionalProperties: false` unless `open`.
  public static func object(
    _ properties: [(String, JSONSchema)], required: [String] = [], description: String? = nil, open: Bool = false
  ) -> JSONSchema {
    var props = JSONObject()
    for (name, schema) in properties { props[name] = schema.json }
    return build(
      "object",
      [
        ("properties", .object(props)), ("required", required.isEmpty ? nil : .array(required.map { .string($0) })),
        ("additionalProperties", open ? nil : .bool(false)),
      ], description: description)
  }

  /// A map from string keys to `values`.
  public static func map(_ values: JSONSchema, description: String? = nil) -> JSONSchema {
    build("object", [("additionalProperties", values.json)], description: description)
  }

  public static func oneOf(_ schemas: [JSONSchema], description: String? = nil) -> JSONSchema {
    var object: JSONObject = ["oneOf": .array(schemas.map(\.json))]
    if let description { object["description"] = .string(description) }
    return JSONSchema(.object(object))
  }

  /// `schema` or `null`.
  public static func nullable(_ schema: JSONSchema, description: String? = nil) -> JSONSchema {
    oneOf([schema, .null], description: description)
  }

  /// A constant value.
  public static func constant(_ value: JSONValue) -> JSONSchema { JSONSchema(.object(["const": value])) }

  /// This schema with `description` in place of its own (placed after `type`, where the builders put it).
  public func describing(_ description: String) -> JSONSchema {
    guard case .object(let object) = json else { return self }
    var members = object.members
    if let index = members.firstIndex(where: { $0.key == "description" }) {
      members[index].value = .string(description)
    } else {
      let index = members.firstIndex(where: { $0.key == "type" }).map { $0 + 1 } ?? 0
      members.insert(JSONObject.Member("description", .string(description)), at: index)
    }
    return JSONSchema(.object(JSONObject(members)))
  }

  /// A reference to `#/components/schemas/<name>`.
  public static func ref(_ name: String) -> JSONSchema {
    JSONSchema(.object(["$ref": .string("#/components/schemas/\(name)")]))
  }
}
