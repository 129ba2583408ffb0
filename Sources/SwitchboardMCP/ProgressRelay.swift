import JSON
import JSONRPC
import Synchronization

/// Carries one call's in-process progress to the client as `notifications/progress` on the
/// request's `progressToken`, and keeps the partial results the method streamed.
///
/// Work-done values become `progress` (the percentage, 0–100, of `total` 100) with their message;
/// a notification is sent only when the progress increases, as MCP requires. Events arrive
/// synchronously and in order from the method, and each notification is queued as it arrives, so
/// all of them precede the call's reply.
final class ProgressRelay: Sendable {
  private struct State {
    var partials: [JSONValue] = []
    var sent: Double?
    var finished = false
  }

  private let token: JSONValue
  private let send: @Sendable ([UInt8]) -> Void
  private let state = Mutex(State())

  /// `token` is the call's `progressToken`; `send` queues a frame for the client.
  init(token: JSONValue, send: @escaping @Sendable ([UInt8]) -> Void) {
    self.token = token
    self.send = send
  }

  /// Takes one event from the method.
  func receive(_ event: InProcessProgress) {
    state.withLock { state in
      guard !state.finished else { return }
      switch event {
      case .partialResult(let value):
        if case .array(let items) = value { state.partials += items } else { state.partials.append(value) }
      case .workDone(let value):
        var progress = state.sent ?? 0
        if case .number(let text)? = value["percentage"], let percentage = Double(text) { progress = percentage }
        if value["kind"]?.stringValue == "end" { progress = 100 }
        if let last = state.sent, progress <= last { return }
        state.sent = progress
        var params: JSONObject = ["progressToken": token, "progress": Self.number(progress), "total": 100]
        if let message = value["message"]?.stringValue ?? value["title"]?.stringValue {
          params["message"] = .string(message)
        }
        send(OutgoingMessage.notification(method: "notifications/progress", params: .object(params)))
      }
    }
  }

  /// Stops relaying; returns the partial results, in order.
  func finish() -> [JSONValue] {
    state.withLock { state in
      state.finished = true
      return state.partials
    }
  }

  private static func number(_ value: Double) -> JSONValue {
    value.rounded() == value ? .int(Int(value)) : .number(String(value))
  }
}
