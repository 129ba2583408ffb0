import JSON
import JSONRPC

/// A Vapi phone-number id: a UUID (Vapi declares `format: uuid` and answers 400 otherwise).
struct NumberID: ListableParam {
  static let reason = "must be a Vapi phone-number id (a UUID)"
  static let schema = JSONSchema.string(
    description: "The number's Vapi id.",
    pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

  /// Ids are UUIDs: the same id in another case is the same id.
  static func canonical(_ id: String) -> String { id.lowercased() }

  static let plural = "ids"

  let value: String

  static func isValid(_ id: String) -> Bool {
    let bytes = Array(id.utf8)
    guard bytes.count == 36 else { return false }
    for (index, byte) in bytes.enumerated() {
      if [8, 13, 18, 23].contains(index) {
        if byte != UInt8(ascii: "-") { return false }
      } else if !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)) {
        return false
      }
    }
    return true
  }
}
