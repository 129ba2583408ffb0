import JSONRPC

/// A US area code (NANP): three digits, the first 2–9.
struct AreaCode: ParamRule {
  static let reason = "must be a 3-digit US area code (first digit 2-9)"
  static let schema = JSONSchema.string(
    description: "US area code (NANP): 3 digits, the first 2-9.", pattern: "^[2-9][0-9]{2}$")

  let value: String

  static func isValid(_ s: String) -> Bool {
    let u = Array(s.utf8)
    return u.count == 3 && u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && u[0] >= 0x32
  }
}
