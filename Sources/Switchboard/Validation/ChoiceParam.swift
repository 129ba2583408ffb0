import JSON
import JSONRPC

/// A kind of string param that is one of a fixed list: its `values` give the rule, the reason
/// ("must be one of a, b, c") and the schema's `enum`.
protocol ChoiceParam: ParamRule {
  static var values: [String] { get }
}

extension ChoiceParam {
  static var reason: String { "must be one of " + values.joined(separator: ", ") }
  static var schema: JSONSchema { .string(enumValues: values) }
  static func isValid(_ value: String) -> Bool { values.contains(value) }
}
