import JSON
import JSONRPC

/// A kind of string param declared once, as a type: what it accepts (`isValid`), why it refuses
/// (`reason`, the -32602 `data.reason`, never quoting the value) and its JSON Schema. A value of
/// the type has passed the rule; `@Param var areaCode: AreaCode?` decodes, validates and
/// describes the param from that one type.
protocol ParamRule: ParamValue, Hashable {
  /// Why a value is refused.
  static var reason: String { get }
  /// Whether `value` is acceptable.
  static func isValid(_ value: String) -> Bool
  /// The form two values are compared in for duplicates (the value itself unless the kind says so).
  static func canonical(_ value: String) -> String
  /// The accepted text.
  var value: String { get }
  /// A value known to pass the rule (a kind's memberwise initializer; `init?(_:)` checks).
  init(value: String)
}

extension ParamRule {
  static func canonical(_ value: String) -> String { value }

  /// `value` if it passes the rule.
  init?(_ value: String) {
    guard Self.isValid(value) else { return nil }
    self.init(value: value)
  }

  /// A string that must pass the rule: absent or `null` is "required", anything else not a
  /// string "expected a string", a string that fails the rule `reason`.
  static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
    guard let value = try decodeParamIfPresent(key, in: container) else {
      throw DecodingError.keyNotFound(key, .init(codingPath: container.codingPath, debugDescription: "required"))
    }
    return value
  }

  /// Absent or `null` is nil (one look-up of the member).
  static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> Self?
  {
    guard let value = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
    guard isValid(value) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    return Self(value: value)
  }
}
