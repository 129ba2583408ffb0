import Foundation

/// Masks the secrets in play in any text that leaves Telephony (upstream messages, reasons) before
/// it is logged, returned or stored.
///
/// Upstream error texts can echo a secret in any form, so each configured secret is masked in every
/// form it may take: raw (case-insensitively), URL-encoded, hex (either case), base64 and
/// base64url at each of the three byte alignments, and any 12-character slice of it. Twilio Account
/// SIDs found whole become `AC…1234`, anything else `[redacted]`. Independently of the configured
/// secrets, any Twilio-style SID of an account or key (`AC`/`SK` + 32 hex) is masked the same way,
/// and the Basic-auth credential (base64 of `sid:token`) is treated as a secret.
public struct Redactor: Sendable {
  /// One form of one secret, as bytes to find.
  private struct Needle: Sendable {
    /// Lowercased when `foldsCase`.
    let bytes: [UInt8]
    let foldsCase: Bool
    let mask: String
  }

  private let needles: [Needle]

  /// Length of the slices of a secret that are masked on their own (a partial echo).
  public static let sliceLength = 12

  /// A redactor for the given secrets; empty and very short (< 6 characters) values are ignored
  /// so that masking cannot mangle ordinary text.
  public init(secrets: [String]) {
    var found: [Needle] = []
    var seen = Set<[UInt8]>()
    for secret in secrets.filter({ $0.count >= 6 }) {
      let raw = Array(secret.utf8)
      let mask = Self.mask(secret)
      // The first form of a byte sequence wins, so a whole SID keeps its `AC…1234` mask.
      func add(_ bytes: [UInt8], foldsCase: Bool, mask: String = "[redacted]") {
        let folded = foldsCase ? bytes.map(Self.lower) : bytes
        guard !folded.isEmpty, seen.insert(folded + [foldsCase ? 1 : 0]).inserted else { return }
        found.append(Needle(bytes: folded, foldsCase: foldsCase, mask: mask))
      }
      add(raw, foldsCase: true, mask: mask)
      add(Array(Self.percentEncoded(raw).utf8), foldsCase: true)
      add(Array(raw.map { Self.hexDigits($0) }.joined().utf8), foldsCase: true)
      // base64 encodes 3 bytes as 4 characters: wherever the secret starts in the encoded stream,
      // one of these three runs appears verbatim.
      for skip in 0..<3 where raw.count - skip >= 3 {
        let aligned = Array(raw[skip..<(skip + (raw.count - skip) / 3 * 3)])
        let standard = Data(aligned).base64EncodedString()
        add(Array(standard.utf8), foldsCase: false)
        let urlSafe = standard.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        add(Array(urlSafe.utf8), foldsCase: false)
      }
      if raw.count > Self.sliceLength {
        for start in 0...(raw.count - Self.sliceLength) {
          add(Array(raw[start..<(start + Self.sliceLength)]), foldsCase: true)
        }
      }
    }
    needles = found
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

  /// `text` with every form of every secret masked.
  public func redact(_ text: String) -> String {
    let bytes = Array(text.utf8)
    var hits: [(range: Range<Int>, mask: String)] = []
    if !needles.isEmpty {
      let folded = bytes.map(Self.lower)
      for needle in needles where needle.bytes.count <= bytes.count {
        let haystack = needle.foldsCase ? folded : bytes
        let n = needle.bytes.count
        let first = needle.bytes[0]
        var i = 0
        while i <= haystack.count - n {
          if haystack[i] == first, haystack[i..<(i + n)].elementsEqual(needle.bytes) {
            hits.append((i..<(i + n), needle.mask))
          }
          i += 1
        }
      }
    }
    guard !hits.isEmpty else { return Self.maskSIDs(in: text) }
    // Merge overlapping hits; a run covered by exactly one whole-secret hit keeps that hit's mask.
    hits.sort {
      $0.range.lowerBound < $1.range.lowerBound
        || ($0.range.lowerBound == $1.range.lowerBound && $0.range.count > $1.range.count)
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var cursor = 0
    var index = 0
    while index < hits.count {
      var run = hits[index].range
      var mask = hits[index].mask
      index += 1
      while index < hits.count, hits[index].range.lowerBound < run.upperBound {
        if hits[index].range.upperBound > run.upperBound {
          run = run.lowerBound..<hits[index].range.upperBound
          mask = "[redacted]"
        }
        index += 1
      }
      out.append(contentsOf: bytes[cursor..<run.lowerBound])
      out.append(contentsOf: Array(mask.utf8))
      cursor = run.upperBound
    }
    out.append(contentsOf: bytes[cursor...])
    return Self.maskSIDs(in: String(decoding: out, as: UTF8.self))
  }

  /// `text` redacted, or nil.
  public func redact(_ text: String?) -> String? {
    text.map { redact($0) }
  }

  private static func lower(_ c: UInt8) -> UInt8 {
    (c >= 65 && c <= 90) ? c + 32 : c
  }

  private static func hexDigits(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
  }

  /// RFC 3986 percent-encoding (every byte but unreserved characters).
  private static func percentEncoded(_ bytes: [UInt8]) -> String {
    var out = ""
    for b in bytes {
      let unreserved =
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 46 || b == 95
        || b == 126
      out += unreserved ? String(UnicodeScalar(b)) : "%" + hexDigits(b).uppercased()
    }
    return out
  }

  private static func isSID(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard u.count == 34,
      (u[0] == UInt8(ascii: "A") && u[1] == UInt8(ascii: "C"))
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
