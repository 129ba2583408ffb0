import Foundation
import JSONRPC
import Logging
import MCP

/// A transport that lets the SDK negotiate only protocol versions from 2025-06-18 on (those with
/// `structuredContent`, `outputSchema` and tool titles).
///
/// The spec: a server that does not support the version the client requests answers with another
/// version it supports, the latest. The SDK answers any version it knows with itself, so an
/// `initialize` asking for an older one is handed to it as asking for an unknown one.
actor NegotiationFloor: Transport {
  static let supported: Set<String> = Version.supported.filter { $0 >= "2025-06-18" }

  private let inner: any Transport
  nonisolated let logger: Logger

  init(_ inner: any Transport, logger: Logger) {
    self.inner = inner
    self.logger = logger
  }

  func connect() async throws { try await inner.connect() }
  func disconnect() async { await inner.disconnect() }
  func send(_ data: Data) async throws { try await inner.send(data) }

  func receive() -> AsyncThrowingStream<Data, any Error> {
    let source = inner
    return AsyncThrowingStream { continuation in
      let task = Task {
        do {
          for try await frame in await source.receive() { continuation.yield(Self.raisingFloor(frame)) }
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }

  /// The frame, with an older `protocolVersion` in an `initialize` request replaced by an unknown one.
  static func raisingFloor(_ frame: Data) -> Data {
    // Cheap test first: only the one initialize request is parsed.
    guard frame.count < 65_536, frame.range(of: Data("\"initialize\"".utf8)) != nil,
      case .object(var message)? = try? JSONParser.parse(Array(frame)),
      message["method"] == .string("initialize"), case .object(var params)? = message["params"],
      let requested = params["protocolVersion"]?.stringValue, !supported.contains(requested)
    else { return frame }
    params["protocolVersion"] = .string("unsupported:\(requested)")
    message["params"] = .object(params)
    return Data(JSONWriter.encode(.object(message)))
  }
}
