import JSON

/// An OpenRPC content descriptor: one named param, or a result.
public struct ContentDescriptor: Sendable, Equatable {
  public var name: String
  public var summary: String?
  public var schema: JSONSchema
  public var required: Bool

  public init(_ name: String, _ schema: JSONSchema, required: Bool = false, summary: String? = nil) {
    self.name = name
    self.schema = schema
    self.required = required
    self.summary = summary
  }

  var json: JSONValue {
    var object: JSONObject = ["name": .string(name)]
    if let summary { object["summary"] = .string(summary) }
    object["schema"] = schema.json
    if required { object["required"] = .bool(true) }
    return .object(object)
  }
}

/// An error a method can return, as listed in its OpenRPC `errors`.
public struct ErrorDescriptor: Sendable, Equatable {
  public var code: Int
  public var message: String
  /// An example (or schema-like description) of `data`.
  public var data: JSONValue?

  public init(code: Int, message: String, data: JSONValue? = nil) {
    self.code = code
    self.message = message
    self.data = data
  }

  var json: JSONValue {
    var object: JSONObject = ["code": .int(code), "message": .string(message)]
    if let data { object["data"] = data }
    return .object(object)
  }
}

/// A worked example: named params and the result they produce.
public struct MethodExample: Sendable, Equatable {
  public var name: String
  public var summary: String?
  public var params: JSONObject
  public var result: JSONValue?

  public init(_ name: String, summary: String? = nil, params: JSONObject = [:], result: JSONValue? = nil) {
    self.name = name
    self.summary = summary
    self.params = params
    self.result = result
  }

  var json: JSONValue {
    var object: JSONObject = ["name": .string(name)]
    if let summary { object["description"] = .string(summary) }
    object["params"] = .array(
      params.map { .object(["name": .string($0.key), "value": $0.value]) })
    if let result { object["result"] = .object(["name": "result", "value": result]) }
    return .object(object)
  }
}

/// Everything OpenRPC says about one method (or client notification), gathered from its `RPCMethod` type.
public struct MethodDescriptor: Sendable, Equatable {
  public var name: String
  public var summary: String
  public var description: String?
  public var params: [ContentDescriptor]
  /// `nil` for notifications.
  public var result: ContentDescriptor?
  public var errors: [ErrorDescriptor]
  public var examples: [MethodExample]
  /// `x-` extensions (for example `x-cancellable`).
  public var extensions: JSONObject

  public init(
    name: String, summary: String, description: String? = nil, params: [ContentDescriptor],
    result: ContentDescriptor?, errors: [ErrorDescriptor] = [], examples: [MethodExample] = [],
    extensions: JSONObject = [:]
  ) {
    self.name = name
    self.summary = summary
    self.description = description
    self.params = params
    self.result = result
    self.errors = errors
    self.examples = examples
    self.extensions = extensions
  }

  var json: JSONValue {
    var object: JSONObject = ["name": .string(name), "summary": .string(summary)]
    if let description { object["description"] = .string(description) }
    object["paramStructure"] = "by-name"
    object["params"] = .array(params.map(\.json))
    if let result { object["result"] = result.json }
    if !errors.isEmpty { object["errors"] = .array(errors.map(\.json)) }
    if !examples.isEmpty { object["examples"] = .array(examples.map(\.json)) }
    for member in extensions { object[member.key] = member.value }
    return .object(object)
  }
}
