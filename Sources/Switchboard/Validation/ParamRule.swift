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

  /// A param of kind `rule` that may be absent (keep), `null` (clear) or a value (set).
  func decodePatch<Rule: ParamRule>(_ key: Key, as rule: Rule.Type) throws -> Patch<String> {
    try decodePatch(key, valid: Rule.isValid, reason: Rule.reason)
  }
}
