import JSON
import JSONRPC

/// Vapi's `name` rule: at most 40 characters (counted as Vapi does, in UTF-16 units).
enum NumberName {
  static let maxLength = 40
  static let reason = "must be 1-40 characters"
  static let schema = JSONSchema.string(description: "Display name in Vapi.", minLength: 1, maxLength: maxLength)

  static func isValid(_ name: String) -> Bool { !name.isEmpty && name.utf16.count <= maxLength }

  /// `name` cut to fit (whole characters only), for reusing a Twilio friendly name.
  static func truncated(_ name: String) -> String {
    var result = ""
    for character in name {
      if result.utf16.count + String(character).utf16.count > maxLength { break }
      result.append(character)
    }
    return result
  }
}

/// A client-chosen idempotency key: 1–255 printable characters.
enum IdempotencyKey {
  static let schema = JSONSchema.string(
    description: "Makes the call safe to retry: the same key returns the first outcome (even after a crash or restart) and never buys twice.",
    minLength: 1, maxLength: 255)

  static let reason = "must be 1-255 printable characters"

  static func isValid(_ key: String) -> Bool {
    !key.isEmpty && key.utf8.count <= 255 && key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
  }
}
