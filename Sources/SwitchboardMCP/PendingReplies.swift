import Foundation
import JSON
import JSONRPC
import Synchronization

/// The requests that came in and have not been answered yet, seen on the wire, so the process
/// lets them finish and writes their replies before it exits (as the JSON-RPC face does at end of
/// input): a half-done import is better finished and recorded.
final class PendingReplies: Sendable {
  private let ids = Mutex<Set<String>>([])

  /// Notes a frame from the client: a request is pending until answered; a cancelled one is not.
  func received(_ message: JSONObject) {
    if let method = message["method"]?.stringValue {
      if let id = message["id"] {
        ids.withLock { _ = $0.insert(Self.key(id)) }
      } else if method == "notifications/cancelled", let id = message["params"]?["requestId"] {
        ids.withLock { _ = $0.remove(Self.key(id)) }
      }
    }
  }

  /// Notes a frame to the client (called just after it was written).
  func sent(_ frame: Data) {
    guard let id = Self.responseID(frame) else { return }
    ids.withLock { _ = $0.remove(Self.key(id)) }
  }

  /// Waits until every request is answered, or `limit` has passed; returns whether all were.
  func drain(within limit: Duration) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while !ids.withLock({ $0.isEmpty }) {
      if ContinuousClock.now >= deadline { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return true
  }

  private static func key(_ id: JSONValue) -> String { String(decoding: JSONWriter.encode(id), as: UTF8.self) }

  /// The id of a response frame. The SDK writes keys sorted, so a result starts `{"id":<id>,"jsonrpc"`
  /// and is read without parsing the (possibly large) rest; anything else is small and parsed whole.
  static func responseID(_ frame: Data) -> JSONValue? {
    let head = Data("{\"id\":".utf8)
    if frame.starts(with: head), let end = frame.range(of: Data(",\"jsonrpc\":\"2.0\",\"result\":".utf8)) {
      return try? JSONParser.parse(Array(frame[frame.startIndex + head.count..<end.lowerBound]))
    }
    guard frame.count < 1 << 20, case .object(let message)? = try? JSONParser.parse(Array(frame)),
      message["method"] == nil
    else { return nil }
    return message["id"]
  }
}
