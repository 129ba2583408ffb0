import Foundation

/// The error body shapes of both upstreams, decoded leniently (each field on its own, so one odd
/// field never hides the others):
/// - Vapi (NestJS): `{"message": String | [String], "error": String, "statusCode": Int}`
/// - Twilio: `{"code": Int, "message": String, "more_info": String, "status": Int, "detail"?: String}`
struct UpstreamErrorBody: Decodable {
  var message: String?
  var error: String?
  var code: String?
  var detail: String?

  private enum Keys: String, CodingKey { case message, error, code, detail, title }

  init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    if let s = try? c.decode(String.self, forKey: .message) {
      message = s
    } else if let list = try? c.decode([String].self, forKey: .message) {
      message = list.joined(separator: "; ")
    }
    error = try? c.decode(String.self, forKey: .error)
    if let n = try? c.decode(Int.self, forKey: .code) {
      code = String(n)
    } else if let s = try? c.decode(String.self, forKey: .code) {
      code = s
    }
    detail = (try? c.decode(String.self, forKey: .detail)) ?? (try? c.decode(String.self, forKey: .title))
  }

  /// Parses `data`; nil when it is not a JSON object.
  static func parse(_ data: Data) -> UpstreamErrorBody? {
    guard let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first == UInt8(ascii: "{")
    else { return nil }
    return try? JSONDecoder().decode(UpstreamErrorBody.self, from: data)
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
