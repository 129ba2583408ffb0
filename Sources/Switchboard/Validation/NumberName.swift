import JSON
import JSONRPC

/// Vapi's `name` rule: at most 40 characters (counted as Vapi does, in UTF-16 units).
struct NumberName: ParamRule {
  static let maxLength = 40
  static let reason = "must be 1-40 characters"
  static let schema = JSONSchema.string(description: "Display name in Vapi.", minLength: 1, maxLength: maxLength)

  let value: String

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
