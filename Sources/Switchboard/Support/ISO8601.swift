import Foundation

/// Parses the ISO-8601 timestamps Vapi sends (with or without fractional seconds).
enum ISO8601 {
  static func date(_ text: String) -> Date? {
    (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
      ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
  }
}
