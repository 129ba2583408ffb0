import Foundation
import JSON
import JSONRPC
import Logging
import MCP

/// Sits between the SDK's `Server` and the pipes, rewriting a few frames on their way:
///
/// - **Version floor**: an `initialize` asking for a protocol version older than 2025-06-18 (the
///   first with `structuredContent`, `outputSchema` and tool titles) reaches the SDK as asking for
///   an unknown one, so it answers with its latest, as the spec prescribes for an unsupported
///   version (the SDK itself would accept any version it knows).
/// - **Raw arguments in**: a `tools/call`'s `arguments` object travels to the handler as its JSON
///   text (`_meta["switchboard/arguments"]`), not through the SDK's `Value`, which turns every
///   string shaped like a `data:` URL into bytes (so a name `data:,x` would come back re-encoded)
///   and rounds big numbers through `Double`.
/// - **Raw results out**: a handler may return a placeholder string (see `RawResults`) that is
///   replaced by JSON bytes it encoded itself. The SDK decodes every result it sends into `Value`
///   and encodes it again, compiling a regular expression per string: for 1,000 numbers that is
///   hundreds of milliseconds per listing (see BENCHMARKS.md).
///
/// It also tells `PendingReplies` what came in and what went out. Everything else (lifecycle,
/// dispatch, ids, cancellation, progress) stays with the SDK.
actor WireAdapter: MCP.Transport {
  static let supportedVersions: Set<String> = Version.supported.filter { $0 >= "2025-06-18" }
  static let argumentsKey = "switchboard/arguments"

  private let inner: any MCP.Transport
  private let results: RawResults
  private let pending: PendingReplies
  nonisolated let logger: Logger

  init(_ inner: any MCP.Transport, results: RawResults, pending: PendingReplies, logger: Logger) {
    self.inner = inner
    self.results = results
    self.pending = pending
    self.logger = logger
  }

  func connect() async throws { try await inner.connect() }
  func disconnect() async { await inner.disconnect() }

  func send(_ data: Data) async throws {
    try await inner.send(results.splice(data))
    pending.sent(data)
  }

  func receive() -> AsyncThrowingStream<Data, any Error> {
    let source = inner
    let pending = pending
    return AsyncThrowingStream { continuation in
      let task = Task {
        do {
          for try await frame in await source.receive() { continuation.yield(Self.incoming(frame, pending: pending)) }
          continuation.finish()
        } catch {
          continuation.finish(throwing: error)
        }
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }

  /// The frame as the SDK should see it (client frames are small: each is parsed).
  static func incoming(_ frame: Data, pending: PendingReplies) -> Data {
    guard case .object(var message)? = try? JSONParser.parse(Array(frame)) else { return frame }
    pending.received(message)
    guard case .object(var params)? = message["params"] else { return frame }
    switch message["method"] {
    case .string("initialize"):
      guard let requested = params["protocolVersion"]?.stringValue, !supportedVersions.contains(requested) else {
        return frame
      }
      params["protocolVersion"] = .string("unsupported:\(requested)")
    case .string("tools/call"):
      guard case .object(let arguments)? = params["arguments"] else { return frame }
      var meta = params["_meta"]?.objectValue ?? [:]
      meta[argumentsKey] = .string(String(decoding: JSONWriter.encode(.object(arguments)), as: UTF8.self))
      params["_meta"] = .object(meta)
      params["arguments"] = .object([:])
    default:
      return frame
    }
    message["params"] = .object(params)
    return Data(JSONWriter.encode(.object(message)))
  }
}
