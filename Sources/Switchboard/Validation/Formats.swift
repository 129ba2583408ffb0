/// Format checks for credentials (each param kind has its own `ParamRule`). Each returns whether the
/// value is acceptable; callers turn a failure into -32602 naming the field, never quoting the value.
enum Formats {
  /// `AC` + 32 hex digits.
  static func isAccountSid(_ s: String) -> Bool { hasPrefixAndHex(s, "AC", 32) }
  /// 32 hex digits.
  static func isAuthToken(_ s: String) -> Bool { s.utf8.count == 32 && s.utf8.allSatisfy(isHex) }
  /// Non-empty, at most 512 bytes, no whitespace or control characters.
  static func isVapiKey(_ s: String) -> Bool {
    !s.isEmpty && s.utf8.count <= 512
      && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }
  }
  /// `prefix` followed by exactly `count` hex digits.
  static func hasPrefixAndHex(_ s: String, _ prefix: String, _ count: Int) -> Bool {
    s.hasPrefix(prefix) && s.utf8.count == prefix.utf8.count + count
      && s.utf8.dropFirst(prefix.utf8.count).allSatisfy(isHex)
  }

  private static func isHex(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
  }
}
