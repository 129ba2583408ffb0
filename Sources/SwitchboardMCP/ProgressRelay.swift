import JSON
import JSONRPC
import MCP

/// Carries one call's in-process progress to the client as `notifications/progress` on the
/// request's `progressToken`, in order, and keeps the partial results the method streamed.
///
/// Work-done values become `progress` (the percentage, 0–100, of `total` 100) with their message;
/// a notification is sent only when the progress increases, as MCP requires.
final class ProgressRelay: Sendable {
  private let continuation: AsyncStream<InProcessProgress>.Continuation
  private let pump: Task<[JSONValue], Never>

  init(token: MCP.ProgressToken, send: @escaping @Sendable (ProgressNotification.Parameters) async -> Void) {
    let (stream, continuation) = AsyncStream<InProcessProgress>.makeStream()
    self.continuation = continuation
    pump = Task {
      var partials: [JSONValue] = []
      var sent: Double?
      for await event in stream {
        switch event {
        case .partialResult(let value):
          if case .array(let items) = value { partials += items } else { partials.append(value) }
        case .workDone(let value):
          let kind = value["kind"]?.stringValue
          var progress = sent ?? 0
          if case .number(let token)? = value["percentage"], let percentage = Double(token) { progress = percentage }
          if kind == "end" { progress = 100 }
          if let last = sent, progress <= last { continue }
          sent = progress
          let message = value["message"]?.stringValue ?? value["title"]?.stringValue
          await send(.init(progressToken: token, progress: progress, total: 100, message: message))
        }
      }
      return partials
    }
  }

  /// Takes one event from the method (called synchronously, in the order the method reports).
  func receive(_ event: InProcessProgress) { continuation.yield(event) }

  /// Waits until every notification is sent; returns the partial results, in order.
  func finish() async -> [JSONValue] {
    continuation.finish()
    return await pump.value
  }
}
