import JSON
import JSONRPC

/// A kind of param declared once: what it accepts, why it refuses (the -32602 `data.reason`, never
/// quoting the value) and its JSON Schema in `rpc.discover`. Methods decode with
/// `decode(_:as:)`/`decodeIfPresent(_:as:)`/`decodePatch(_:as:)` and describe with `schema`, so a
/// format is written in exactly one place.
protocol ParamRule {
  /// Why a value is refused.
  static var reason: String { get }
  /// The schema published for a param of this kind (with the kind's own description).
  static var schema: JSONSchema { get }
  /// Whether `value` is acceptable.
  static func isValid(_ value: String) -> Bool
  /// The form two values are compared in for duplicates (the value itself unless the kind says so).
  static func canonical(_ value: String) -> String
}

extension ParamRule {
  static func canonical(_ value: String) -> String { value }
}

extension KeyedDecodingContainer {
  /// An optional param of kind `rule`.
  func decodeIfPresent<Rule: ParamRule>(_ key: Key, as rule: Rule.Type) throws -> String? {
    try decodeIfPresent(key, valid: Rule.isValid, reason: Rule.reason)
  }

  /// A required param of kind `rule`.
  func decode<Rule: ParamRule>(_ key: Key, as rule: Rule.Type) throws -> String {
    try decode(key, valid: Rule.isValid, reason: Rule.reason)
  }

  /// A list of 1…`limit` distinct params of kind `rule`: an invalid or repeated item is refused with
  /// its index (`/ids/3`), a list of the wrong size with `countReason`.
  func decodeDistinctList<Rule: ParamRule>(
    _ key: Key, of rule: Rule.Type, limit: Int = 1000, countReason: String
  ) throws -> [String] {
    var list = try nestedUnkeyedContainer(forKey: key)
    var items: [String] = []
    var seen = Set<String>()
    while !list.isAtEnd {
      let item = try list.decode(String.self)
      let index = list.currentIndex - 1
      let reason: String? =
        !Rule.isValid(item) ? Rule.reason : !seen.insert(Rule.canonical(item)).inserted ? "is a duplicate" : nil
      if let reason { throw ParamsError(pointer: "/\(key.stringValue)/\(index)", reason: reason) }
      items.append(item)
    }
    guard (1...limit).contains(items.count) else {
      throw ParamsError(pointer: "/\(key.stringValue)", reason: countReason)
    }
    return items
  }

  /// A param of kind `rule` that may be absent (keep), `null` (clear) or a value (set).
  func decodePatch<Rule: ParamRule>(_ key: Key, as rule: Rule.Type) throws -> Patch<String> {
    try decodePatch(key, valid: Rule.isValid, reason: Rule.reason)
  }
}
