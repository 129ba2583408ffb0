import JSON

/// Builds the OpenRPC 1.3 document `rpc.discover` returns, from the router's method descriptors.
public enum OpenRPCDocument {
  public static let version = "1.3.2"

  public static func build(
    title: String, version: String, description: String?, methods: [MethodDescriptor],
    schemas: [(String, JSONSchema)], extensions: JSONObject = [:]
  ) -> JSONValue {
    var info: JSONObject = ["title": .string(title), "version": .string(version)]
    if let description { info["description"] = .string(description) }
    var schemaComponents = JSONObject()
    for (name, schema) in schemas { schemaComponents[name] = schema.json }
    var document: JSONObject = [
      "openrpc": .string(Self.version),
      "info": .object(info),
      "methods": .array(methods.map(\.json)),
    ]
    if !schemaComponents.isEmpty { document["components"] = .object(["schemas": .object(schemaComponents)]) }
    for member in extensions { document[member.key] = member.value }
    return .object(document)
  }
}
