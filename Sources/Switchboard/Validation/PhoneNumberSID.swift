import JSONRPC

/// A Twilio phone-number SID: `PN` + 32 hex digits.
struct PhoneNumberSID: ListableParam {
  static let reason = "must be PN followed by 32 hex digits"
  static let pattern = "^PN[0-9a-fA-F]{32}$"
  static let schema = JSONSchema.string(description: "Twilio phone-number SID.", pattern: pattern)

  static let plural = "SIDs"
  /// In a list the items carry no description (as `rpc.discover` has always published them).
  static let itemSchema = JSONSchema.string(pattern: pattern)

  let value: String

  static func isValid(_ s: String) -> Bool { Formats.hasPrefixAndHex(s, "PN", 32) }
}
