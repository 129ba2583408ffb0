import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Collects a whole response (status, headers, body) on the connection's event loop, so the
/// waiting task is resumed once per response instead of once per body chunk (each resumption is
/// a thread hop, which costs most on a loaded machine). The body goes into one buffer sized from
/// `Content-Length` when the server sends it; more than `maxBytes` (announced or received) fails
/// the request with `NIOTooManyBytesError`, as `collect(upTo:)` does.
final class BodyCollector: HTTPClientResponseDelegate {
  struct Collected: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer
  }
  typealias Response = Collected

  private struct State {
    var head: HTTPResponseHead?
    var body = ByteBuffer()
    var declared: Int?
  }
  private let maxBytes: Int
  private let state = Mutex(State())

  init(maxBytes: Int) {
    self.maxBytes = maxBytes
  }

  func didReceiveHead(task: HTTPClient.Task<Collected>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
    let declared = head.headers.first(name: "content-length").flatMap { Int($0) }
    if let declared, declared > maxBytes {
      return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: maxBytes))
    }
    state.withLock { state in
      state.head = head
      state.declared = declared
      if let declared, declared > 0 { state.body.reserveCapacity(declared) }
    }
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didReceiveBodyPart(task: HTTPClient.Task<Collected>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
    let fits = state.withLock { state -> Bool in
      guard buffer.readableBytes <= maxBytes - state.body.readableBytes else { return false }
      if state.body.readableBytes == 0 && state.declared == nil {
        state.body = buffer
      } else {
        var chunk = buffer
        state.body.writeBuffer(&chunk)
      }
      return true
    }
    if !fits { return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: maxBytes)) }
    return task.eventLoop.makeSucceededVoidFuture()
  }

  func didFinishRequest(task: HTTPClient.Task<Collected>) throws -> Collected {
    try state.withLock { state in
      guard let head = state.head else { throw HTTPClientError.remoteConnectionClosed }
      return Collected(status: Int(head.status.code), headers: head.headers, body: state.body)
    }
  }
}
