import JSON
import JSONRPC

/// Makes a schema self-contained: every `#/components/schemas/<name>` reference is replaced by the
/// shared schema the router publishes under that name (as `rpc.discover` shows it).
struct SchemaInliner {
  private let components: [String: JSONValue]
  private static let prefix = "#/components/schemas/"

  init(_ schemas: [(String, JSONSchema)]) {
    var components: [String: JSONValue] = [:]
    for (name, schema) in schemas { components[name] = schema.json }
    self.components = components
  }

  func inline(_ schema: JSONValue) -> JSONValue { inline(schema, expanding: []) }

  private func inline(_ value: JSONValue, expanding: Set<String>) -> JSONValue {
    switch value {
    case .array(let items):
      return .array(items.map { inline($0, expanding: expanding) })
    case .object(let object):
      if let ref = object["$ref"]?.stringValue, ref.hasPrefix(Self.prefix) {
        let name = String(ref.dropFirst(Self.prefix.count))
        guard let target = components[name], !expanding.contains(name) else {
          preconditionFailure("schema reference \(ref) is unknown or recursive")
        }
        var resolved = inline(target, expanding: expanding.union([name])).objectValue ?? [:]
        for member in object where member.key != "$ref" {
          resolved[member.key] = inline(member.value, expanding: expanding)
        }
        return .object(resolved)
      }
      var copy = JSONObject()
      for member in object { copy[member.key] = inline(member.value, expanding: expanding) }
      return .object(copy)
    default:
      return value
    }
  }
}
