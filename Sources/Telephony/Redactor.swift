import Foundation

/// Masks the secrets in play in any text that leaves Telephony (upstream messages, reasons).
///
/// Each configured secret is replaced wherever it occurs (case-insensitively): Twilio Account
/// SIDs become `AC…1234`, anything else `[redacted]`. Independently of the configured secrets,
/// any Twilio-style SID of an account or key (`AC`/`SK` + 32 hex) is masked the same way, and the
/// Basic-auth credential (base64 of `sid:token`) is treated as a secret.
public struct Redactor: Sendable {
  private let secrets: [String]

  /// A redactor for the given secrets; empty and very short (< 6 characters) values are ignored
  /// so that masking cannot mangle ordinary text.
  public init(secrets: [String]) {
    let usable = Set(secrets.filter { $0.count >= 6 })
    // Longest first so a secret containing another is masked whole.
    self.secrets = usable.sorted { $0.count > $1.count }
  }

  /// A redactor for the Vapi key, Twilio Account SID and auth token (any may be nil).
  public init(vapiKey: String? = nil, accountSid: String? = nil, authToken: String? = nil) {
    var list = [vapiKey, accountSid, authToken].compactMap { $0 }
    if let sid = accountSid, let token = authToken {
      list.append(Data("\(sid):\(token)".utf8).base64EncodedString())
    }
    self.init(secrets: list)
  }

  /// A redactor that only masks SID-shaped tokens.
  public static let none = Redactor(secrets: [])

  /// The mask for one secret: `AC…1234` for SIDs, `[redacted]` otherwise.
  public static func mask(_ secret: String) -> String {
    if isSID(secret) {
      return String(secret.prefix(2)) + "…" + String(secret.suffix(4))
    }
    return "[redacted]"
  }

  /// `text` with every secret masked.
  public func redact(_ text: String) -> String {
    var out = text
    for secret in secrets where out.range(of: secret, options: .caseInsensitive) != nil {
      out = out.replacingOccurrences(of: secret, with: Self.mask(secret), options: .caseInsensitive)
    }
    return Self.maskSIDs(in: out)
  }

  /// `text` redacted, or nil.
  public func redact(_ text: String?) -> String? {
    text.map { redact($0) }
  }

  private static func isSID(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard u.count == 34, (u[0] == UInt8(ascii: "A") && u[1] == UInt8(ascii: "C"))
      || (u[0] == UInt8(ascii: "S") && u[1] == UInt8(ascii: "K"))
    else { return false }
    return u[2...].allSatisfy(isHex)
  }

  private static func isHex(_ c: UInt8) -> Bool {
    (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
  }

  /// Masks `AC…`/`SK…` + 32 hex runs that are not part of a longer hex/alphanumeric word.
  private static func maskSIDs(in text: String) -> String {
    let u = Array(text.utf8)
    guard u.count >= 34 else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(u.count)
    var i = 0
    var changed = false
    func isWordByte(_ c: UInt8) -> Bool {
      isHex(c) || (c >= 71 && c <= 90) || (c >= 103 && c <= 122)
    }
    while i < u.count {
      if i + 34 <= u.count,
        (u[i] == UInt8(ascii: "A") && u[i + 1] == UInt8(ascii: "C"))
          || (u[i] == UInt8(ascii: "S") && u[i + 1] == UInt8(ascii: "K")),
        i == 0 || !isWordByte(u[i - 1]),
        u[(i + 2)..<(i + 34)].allSatisfy(isHex),
        i + 34 == u.count || !isWordByte(u[i + 34])
      {
        out.append(contentsOf: u[i..<(i + 2)])
        out.append(contentsOf: Array("…".utf8))
        out.append(contentsOf: u[(i + 30)..<(i + 34)])
        i += 34
        changed = true
      } else {
        out.append(u[i])
        i += 1
      }
    }
    return changed ? String(decoding: out, as: UTF8.self) : text
  }
}
