/// How frames are delimited on the wire; detected from the first bytes and then fixed for the session.
public enum Framing: Sendable, Equatable {
  /// One JSON text per line, `\n` terminated (a trailing `\r` is tolerated on input).
  case lines
  /// LSP base protocol: `Content-Length: N\r\n\r\n` then N bytes of body.
  case contentLength
}
