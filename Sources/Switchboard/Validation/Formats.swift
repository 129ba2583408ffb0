/// Format checks for user input. Each returns whether the value is acceptable; callers turn a
/// failure into -32602 naming the field, never quoting the value.
enum Formats {
  /// `AC` + 32 hex digits.
  static func isAccountSid(_ s: String) -> Bool { hasPrefixAndHex(s, "AC", 32) }
  /// `PN` + 32 hex digits.
  static func isPhoneNumberSid(_ s: String) -> Bool { hasPrefixAndHex(s, "PN", 32) }
  /// 32 hex digits.
  static func isAuthToken(_ s: String) -> Bool { s.utf8.count == 32 && s.utf8.allSatisfy(isHex) }
  /// Non-empty, at most 512 bytes, no whitespace or control characters.
  static func isVapiKey(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.count <= 512 && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }
  }
  /// E.164: `+`, a non-zero digit, then 1–14 digits.
  static func isE164(_ s: String) -> Bool {
    let bytes = Array(s.utf8)
    guard bytes.count >= 3, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
    return bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }
  /// A NANP area code: three digits, the first 2–9.
  static func isAreaCode(_ s: String) -> Bool {
    let u = Array(s.utf8)
    return u.count == 3 && u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && u[0] >= 0x32
  }

  private static func hasPrefixAndHex(_ s: String, _ prefix: String, _ count: Int) -> Bool {
    s.hasPrefix(prefix) && s.utf8.count == prefix.utf8.count + count && s.utf8.dropFirst(prefix.utf8.count).allSatisfy(isHex)
  }

  private static func isHex(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
  }

  static let e164Reason = "must be an E.164 number such as +14155550100"
}
