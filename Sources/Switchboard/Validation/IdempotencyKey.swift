import JSON
import JSONRPC

/// A client-chosen idempotency key: 1–255 printable characters.
struct IdempotencyKey: ParamRule {
  static let schema = JSONSchema.string(
    description:
      "Makes the call safe to retry: the same key returns the first outcome (even after a crash or restart) and never buys twice.",
    minLength: 1, maxLength: 255)

  static let reason = "must be 1-255 printable characters"

  let value: String

  static func isValid(_ key: String) -> Bool {
    !key.isEmpty && key.utf8.count <= 255 && key.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
  }
}
