import Foundation
import JSON
import Synchronization

/// What a handler knows about the request it serves, and how it reports progress.
///
/// Progress goes out only on tokens the client supplied, at most one `begin` and exactly one
/// `end` per work-done token, with percentages that never go down, and nothing after the reply.
public struct RequestContext: Sendable {
  public let id: RequestID
  public let method: String
  let progress: ProgressChannel

  init(id: RequestID, method: String, progress: ProgressChannel) {
    self.id = id
    self.method = method
    self.progress = progress
  }

  /// A context for calling handlers directly (tests, in-process use): progress is discarded.
  public static func detached(id: RequestID = .number("0"), method: String = "") -> RequestContext {
    RequestContext(id: id, method: method, progress: ProgressChannel(tokens: ProgressTokens(), send: { _ in }))
  }

  /// Whether the client asked for partial results.
  public var wantsPartialResults: Bool { progress.tokens.partialResult != nil }

  public func beginProgress(title: String, message: String? = nil, percentage: Int? = nil, cancellable: Bool = true) {
    progress.workDone(kind: "begin", title: title, message: message, percentage: percentage, cancellable: cancellable)
  }

  public func reportProgress(message: String? = nil, percentage: Int? = nil) {
    progress.workDone(kind: "report", title: nil, message: message, percentage: percentage, cancellable: nil)
  }

  public func endProgress(message: String? = nil) {
    progress.workDone(kind: "end", title: nil, message: message, percentage: nil, cancellable: nil)
  }

  /// Streams one batch of partial results (`$/progress {token, value}`) when a `partialResultToken` was given.
  public func sendPartialResult(_ value: JSONValue) {
    progress.partial(value)
  }

  /// Encodes and streams a partial result.
  public func sendPartialResult<T: Encodable>(_ value: T) throws {
    guard let token = progress.tokens.partialResult else { return }
    progress.partialFrame(try OutgoingMessage.progress(token: token.json, value: value))
  }
}

/// Sends a request's `$/progress` notifications and closes when its reply is sent.
final class ProgressChannel: Sendable {
  let tokens: ProgressTokens
  private let send: @Sendable ([UInt8]) -> Void
  private struct State {
    var begun = false
    var ended = false
    var closed = false
    var percentage = 0
    var lastReport: ContinuousClock.Instant?
  }
  private let state = Mutex(State())
  /// Reports closer together than this are dropped (begin, end and partial results never are).
  static let minimumReportInterval = Duration.milliseconds(25)

  init(tokens: ProgressTokens, send: @escaping @Sendable ([UInt8]) -> Void) {
    self.tokens = tokens
    self.send = send
  }

  func workDone(kind: String, title: String?, message: String?, percentage: Int?, cancellable: Bool?) {
    guard let token = tokens.workDone else { return }
    state.withLock { state in
      guard !state.closed, !state.ended else { return }
      switch kind {
      case "begin":
        guard !state.begun else { return }
        state.begun = true
      case "report":
        guard state.begun else { return }
        let now = ContinuousClock.now
        if let last = state.lastReport, now - last < Self.minimumReportInterval, percentage != 100 { return }
        state.lastReport = now
      default:
        guard state.begun else { return }
        state.ended = true
      }
      var value: JSONObject = ["kind": .string(kind)]
      if let title { value["title"] = .string(title) }
      if let cancellable { value["cancellable"] = .bool(cancellable) }
      if let message { value["message"] = .string(message) }
      if let percentage, kind != "end" {
        let clamped = max(state.percentage, min(100, max(0, percentage)))
        state.percentage = clamped
        value["percentage"] = .int(clamped)
      }
      send(OutgoingMessage.notification(method: "$/progress", params: ["token": token.json, "value": .object(value)]))
    }
  }

  func partial(_ value: JSONValue) {
    guard let token = tokens.partialResult else { return }
    state.withLock { state in
      guard !state.closed else { return }
      send(OutgoingMessage.notification(method: "$/progress", params: ["token": token.json, "value": value]))
    }
  }

  /// Sends an already encoded partial-result notification (unless the reply has gone).
  func partialFrame(_ frame: [UInt8]) {
    state.withLock { state in
      guard !state.closed else { return }
      send(frame)
    }
  }

  /// Ends open work-done progress and refuses anything further (called just before the reply).
  func close() {
    if let token = tokens.workDone {
      state.withLock { state in
        if state.begun && !state.ended {
          state.ended = true
          send(
            OutgoingMessage.notification(
              method: "$/progress", params: ["token": token.json, "value": ["kind": "end"]]))
        }
        state.closed = true
      }
    } else {
      state.withLock { $0.closed = true }
    }
  }
}
