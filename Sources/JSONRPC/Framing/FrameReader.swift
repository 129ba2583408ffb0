import Foundation

/// Cuts frames out of a byte stream, whatever the read boundaries.
///
/// Input is pushed in arbitrary chunks (one byte at a time gives the same frames as one big
/// read). The framing is detected from the first bytes: `Content-Length:` (or another LSP
/// header name) selects `.contentLength`, anything else `.lines`. A frame larger than
/// `maxFrameBytes` is discarded up to its end while memory stays bounded, and reported as
/// `.oversized` so the caller can answer -32600 and carry on with the next frame.
///
/// Content-Length mode recovers from a broken stream: a header block that cannot be understood, or
/// a length over the cap, is reported once and the reader resynchronises at the next
/// `Content-Length:` header (whatever lies between is dropped unread, so an impossible length such
/// as 2^62 cannot swallow later input). A bare JSON line (`{…}` or `[…]` and a newline) where a
/// header block was expected is delivered as a frame.
public struct FrameReader {
  /// What the reader found in the input.
  public enum Event: Equatable, Sendable {
    /// The framing was decided (sent once, before the first frame).
    case framing(Framing)
    case frame([UInt8])
    /// A frame over the cap was skipped.
    case oversized(limit: Int)
    /// An LSP header block that could not be understood; the reader skipped to the next header block.
    case badHeader(reason: String)
  }

  public let maxFrameBytes: Int
  public private(set) var framing: Framing?

  private var buffer: [UInt8] = []
  private var start = 0
  /// Offset from `start` already scanned for a delimiter (so a long partial line is not rescanned).
  private var scanned = 0
  /// Lines mode: skipping the rest of an oversized line.
  private var discardingLine = false
  /// Content-Length mode: the length of the body being waited for.
  private var pendingBodyLength: Int?
  /// Content-Length mode: dropping bytes until the next `Content-Length:` header.
  private var resyncing = false
  private var sawStreamStart = false

  public init(maxFrameBytes: Int = 16 << 20, framing: Framing? = nil) {
    self.maxFrameBytes = maxFrameBytes
    self.framing = framing
  }

  /// Bytes buffered and not yet consumed (bounded by about `maxFrameBytes` plus one read).
  public var bufferedByteCount: Int { buffer.count - start }

  /// Feeds bytes and returns the events they complete.
  public mutating func push(_ bytes: UnsafeRawBufferPointer) -> [Event] {
    var events: [Event] = []
    push(bytes) { events.append($0) }
    return events
  }

  public mutating func push(_ bytes: [UInt8]) -> [Event] {
    bytes.withUnsafeBytes { push($0) }
  }

  /// Feeds bytes, calling `emit` for each completed event.
  public mutating func push(_ bytes: UnsafeRawBufferPointer, emit: (Event) -> Void) {
    guard !bytes.isEmpty else { return }
    var input = bytes[...]
    // Lines mode: drop an oversized line's bytes as they arrive.
    if discardingLine {
      guard let newline = input.firstIndex(of: 0x0A) else { return }
      discardingLine = false
      emit(.oversized(limit: maxFrameBytes))
      input = input[(newline + 1)...]
      if input.isEmpty { return }
    }
    buffer.append(contentsOf: input)
    drain(emit: emit)
    compact()
  }

  /// End of input: a last line without a newline is still a frame; a cut-off body is dropped.
  public mutating func finish(emit: (Event) -> Void) {
    if framing == nil, start < buffer.count, !isBlank(buffer[start...]) {
      framing = .lines
      emit(.framing(.lines))
    }
    if discardingLine {
      discardingLine = false
      emit(.oversized(limit: maxFrameBytes))
    }
    if framing != .contentLength, start < buffer.count {
      var end = buffer.count
      if buffer[end - 1] == 0x0D { end -= 1 }
      let line = Array(buffer[start..<end])
      start = buffer.count
      if !isBlank(line[...]) { emit(.frame(line)) }
    }
    buffer.removeAll()
    start = 0
    scanned = 0
  }

  public mutating func finish() -> [Event] {
    var events: [Event] = []
    finish { events.append($0) }
    return events
  }

  private mutating func drain(emit: (Event) -> Void) {
    if framing == nil {
      guard detectFraming() else { return }
      emit(.framing(framing!))
    }
    switch framing! {
    case .lines: drainLines(emit: emit)
    case .contentLength: drainContentLength(emit: emit)
    }
  }

  /// Decides the framing once enough bytes are here. Returns false while undecided.
  private mutating func detectFraming() -> Bool {
    var i = start
    if !sawStreamStart, buffer.count - i >= 3, buffer[i] == 0xEF, buffer[i + 1] == 0xBB, buffer[i + 2] == 0xBF {
      i += 3
    } else if !sawStreamStart, buffer.count - i < 3, buffer[i] == 0xEF {
      return false
    }
    while i < buffer.count, buffer[i] == 0x20 || buffer[i] == 0x0A || buffer[i] == 0x0D || buffer[i] == 0x09 {
      i += 1
    }
    guard i < buffer.count else { return false }
    sawStreamStart = true
    let first = buffer[i]
    let isLetter = (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
    guard isLetter else {
      framing = .lines
      return true
    }
    // Wait for the end of the first header name, then compare case-insensitively.
    var j = i
    while j < buffer.count, buffer[j] != UInt8(ascii: ":"), buffer[j] != 0x0A, j - i < 40 { j += 1 }
    if j == buffer.count, j - i < 40 { return false }
    let name = String(decoding: buffer[i..<j], as: UTF8.self).lowercased()
    let isHeader =
      j < buffer.count && buffer[j] == UInt8(ascii: ":")
      && (name == "content-length" || name == "content-type")
    framing = isHeader ? .contentLength : .lines
    if isHeader { start = i }
    return true
  }

  private mutating func drainLines(emit: (Event) -> Void) {
    while true {
      let searchFrom = start + scanned
      guard let newline = buffer[searchFrom...].firstIndex(of: 0x0A) else {
        scanned = buffer.count - start
        if buffer.count - start > maxFrameBytes {
          // Drop what we have and skip the rest of this line as it arrives.
          start = buffer.count
          scanned = 0
          discardingLine = true
        }
        return
      }
      var end = newline
      if end > start, buffer[end - 1] == 0x0D { end -= 1 }
      let lineLength = end - start
      let line = buffer[start..<end]
      start = newline + 1
      scanned = 0
      if lineLength > maxFrameBytes {
        emit(.oversized(limit: maxFrameBytes))
      } else if !isBlank(line) {
        emit(.frame(Array(line)))
      }
    }
  }

  private func isBlank(_ line: ArraySlice<UInt8>) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
  }

  private mutating func drainContentLength(emit: (Event) -> Void) {
    while true {
      if resyncing {
        guard resynchronise() else { return }
      }
      if let length = pendingBodyLength {
        guard buffer.count - start >= length else { return }
        let body = Array(buffer[start..<(start + length)])
        start += length
        pendingBodyLength = nil
        emit(.frame(body))
        continue
      }
      // Skip blank lines between frames; a bare JSON line is served as a frame.
      while start < buffer.count,
        buffer[start] == 0x0A || buffer[start] == 0x0D || buffer[start] == 0x20 || buffer[start] == 0x09
      {
        start += 1
        scanned = 0
      }
      guard start < buffer.count else { return }
      if buffer[start] == UInt8(ascii: "{") || buffer[start] == UInt8(ascii: "[") {
        guard let newline = buffer[(start + scanned)...].firstIndex(of: 0x0A) else {
          scanned = buffer.count - start
          if buffer.count - start > maxFrameBytes {
            emit(.oversized(limit: maxFrameBytes))
            resyncing = true
          }
          return
        }
        var end = newline
        if end > start, buffer[end - 1] == 0x0D { end -= 1 }
        let line = Array(buffer[start..<end])
        start = newline + 1
        scanned = 0
        emit(.frame(line))
        continue
      }
      // Look for the end of the header block: an empty line (CRLF CRLF, or LF LF).
      guard let (headerEnd, bodyStart) = findHeaderEnd() else {
        if buffer.count - start > Self.maxHeaderBytes {
          emit(.badHeader(reason: "header block too long"))
          start += 1
          resyncing = true
          continue
        }
        return
      }
      let header = Array(buffer[start..<headerEnd])
      switch parseHeaders(header) {
      case .failure(let reason):
        emit(.badHeader(reason: reason))
        start += 1  // resynchronise after this block's first byte (its own header, if any, is broken)
        scanned = 0
        resyncing = true
      case .success(let length) where length > maxFrameBytes:
        // Refused at once, without waiting for (or trusting) the body.
        emit(.oversized(limit: maxFrameBytes))
        start = bodyStart
        scanned = 0
        resyncing = true
      case .success(let length):
        start = bodyStart
        scanned = 0
        pendingBodyLength = length
      }
    }
  }

  private mutating func findHeaderEnd() -> (Int, Int)? {
    var i = max(start, start + scanned - 3)
    while i < buffer.count {
      if buffer[i] == 0x0A {
        if i + 1 < buffer.count, buffer[i + 1] == 0x0A { return (i, i + 2) }
        if i + 2 < buffer.count, buffer[i + 1] == 0x0D, buffer[i + 2] == 0x0A { return (i, i + 3) }
      }
      i += 1
    }
    scanned = buffer.count - start
    return nil
  }

  /// Longest header block accepted.
  static let maxHeaderBytes = 8 << 10
  private static let headerName = Array("content-length:".utf8)

  private static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }

  /// Drops bytes up to the next `Content-Length:` header (any case). Returns false while none is
  /// buffered yet (keeping only a tail that could be the start of one).
  private mutating func resynchronise() -> Bool {
    let name = Self.headerName
    var i = start
    while i + name.count <= buffer.count {
      var k = 0
      while k < name.count, Self.lowercased(buffer[i + k]) == name[k] { k += 1 }
      if k == name.count {
        start = i
        scanned = 0
        resyncing = false
        return true
      }
      i += 1
    }
    start = max(start, buffer.count - (name.count - 1))
    scanned = 0
    return false
  }

  private enum HeaderResult { case success(Int), failure(String) }

  private func parseHeaders(_ block: [UInt8]) -> HeaderResult {
    var length: Int? = nil
    // Split on bytes: as a Swift Character, "\r\n" is one grapheme and would not split on "\n".
    for rawLine in block.split(separator: 0x0A, omittingEmptySubsequences: true) {
      var bytes = rawLine
      if bytes.last == 0x0D { bytes = bytes.dropLast() }
      if bytes.isEmpty { continue }
      let line = Substring(String(decoding: bytes, as: UTF8.self))
      guard let colon = line.firstIndex(of: ":") else { return .failure("malformed header line") }
      let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      switch name {
      case "content-length":
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(value) else {
          return .failure("Content-Length must be a non-negative integer")
        }
        length = n
      case "content-type":
        let lowered = value.lowercased()
        if let range = lowered.range(of: "charset=") {
          let charset = lowered[range.upperBound...].prefix { $0 != ";" }
            .trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
          if charset != "utf-8" && charset != "utf8" { return .failure("only the utf-8 charset is supported") }
        }
      default:
        continue
      }
    }
    guard let length else { return .failure("Content-Length header is missing") }
    return .success(length)
  }

  private mutating func compact() {
    if start == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      start = 0
    } else if start > 1 << 16, start > buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
  }
}
