import Foundation
import JSON

/// The error body shapes of both upstreams, decoded leniently (each field on its own, so one odd
/// field never hides the others):
/// - Vapi (NestJS): `{"message": String | [String], "error": String, "statusCode": Int}`
/// - Twilio: `{"code": Int, "message": String, "more_info": String, "status": Int, "detail"?: String}`
struct UpstreamErrorBody: WireReadable {
  var message: String?
  var error: String?
  var code: String?
  var detail: String?

  init(reading reader: inout JSONReader) throws {
    var title: String?
    try reader.readObject { key, reader in
      if key == "message" {
        message = try reader.readLenientText()
      } else if key == "error" {
        error = try reader.readLenientString()
      } else if key == "code" {
        code = try reader.readLenientCode()
      } else if key == "detail" {
        detail = try reader.readLenientString()
      } else if key == "title" {
        title = try reader.readLenientString()
      } else {
        try reader.skipValue()
      }
    }
    if detail == nil { detail = title }
  }

  /// Parses `data`; nil when it is not a JSON object.
  static func parse(_ data: Data) -> UpstreamErrorBody? {
    guard let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }),
      first == UInt8(ascii: "{")
    else { return nil }
    return try? read(data)
  }

  /// Longest upstream message kept (characters).
  static let maxMessageLength = 1000

  /// `(upstreamCode, upstreamMessage)` for `provider`, redacted and bounded.
  func fields(for provider: Provider, redactor: Redactor) -> (code: String?, message: String?) {
    let code: String?
    switch provider {
    case .twilio: code = self.code ?? error
    case .vapi: code = error ?? self.code
    }
    var text = message ?? detail
    if let t = text, t.count > Self.maxMessageLength {
      text = String(t.prefix(Self.maxMessageLength)) + "…"
    }
    return (redactor.redact(code), redactor.redact(text))
  }
}

extension JSONReader {
  /// A string, or nil for anything else (which is skipped).
  mutating func readLenientString() throws -> String? {
    var probe = self
    if let value = try? probe.readString() {
      self = probe
      return value
    }
    try skipValue()
    return nil
  }

  /// A string, or the strings of an array joined with "; " (Vapi's validation messages), else nil.
  mutating func readLenientText() throws -> String? {
    var probe = self
    var parts: [String] = []
    if (try? probe.readArray({ element in if let text = try element.readLenientString() { parts.append(text) } }))
      != nil
    {
      self = probe
      return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
    return try readLenientString()
  }

  /// Twilio's numeric `code` as decimal text, or a string code as it is, else nil.
  mutating func readLenientCode() throws -> String? {
    var probe = self
    if let token = try? probe.readOptionalNumber() {
      self = probe
      if let int = Int(token) { return String(int) }
      if let double = Double(token), double.isFinite, double.rounded() == double { return String(Int(double)) }
      return token
    }
    return try readLenientString()
  }
}
