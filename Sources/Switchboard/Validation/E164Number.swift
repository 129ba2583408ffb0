import JSONRPC

/// A phone number in E.164: `+`, a non-zero digit, then 1–14 digits.
struct E164Number: ParamRule {
  static let reason = "must be an E.164 number such as +14155550100"
  static let pattern = "^\\+[1-9][0-9]{1,14}$"
  static let schema = JSONSchema.string(description: "A phone number in E.164, e.g. +14155550100.", pattern: pattern)

  let value: String

  static func isValid(_ s: String) -> Bool {
    let bytes = Array(s.utf8)
    guard bytes.count >= 3, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else {
      return false
    }
    return bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }
}
