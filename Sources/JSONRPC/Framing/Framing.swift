import JSON
/// How frames are delimited on the wire; detected from the first bytes and then fixed for the session.
public enum Framing: Sendable, Equatable {
  /// One JSON text per line, `\n` terminated (a trailing `\r` is tolerated on input).
  case lines
  /// LSP base protocol: `Content-Length: N\r\n\r\n` then N bytes of body.
  case contentLength

  /// The bytes of `body` framed for the wire.
  public func frame(_ body: [UInt8]) -> [UInt8] {
    switch self {
    case .lines:
      var out = body
      out.append(0x0A)
      return out
    case .contentLength:
      var out = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
      out.reserveCapacity(out.count + body.count)
      out.append(contentsOf: body)
      return out
    }
  }
}
