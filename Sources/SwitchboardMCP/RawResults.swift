import Foundation
import JSON
import JSONRPC
import Synchronization

/// JSON a handler encoded itself, waiting to be spliced into the frame the SDK sends.
///
/// `hold` returns a placeholder string to put where the value belongs; when a frame holding the
/// placeholder (as the JSON string `"…"`) goes out, `splice` writes the bytes in its place.
final class RawResults: Sendable {
  private static let prefix = "switchboard-raw:"
  private let held = Mutex<[String: [UInt8]]>([:])
  private let counter = Atomic<Int>(0)

  func hold(_ value: JSONValue) -> String {
    let token =
      "\(Self.prefix)\(counter.wrappingAdd(1, ordering: .relaxed).newValue)-\(UInt64.random(in: 0...UInt64.max))"
    held.withLock { $0[token] = JSONWriter.encode(value) }
    return token
  }

  /// Drops a value whose frame will never be sent (a cancelled call).
  func discard(_ token: String) { _ = held.withLock { $0.removeValue(forKey: token) } }

  func splice(_ frame: Data) -> Data {
    let marker = Data("\"\(Self.prefix)".utf8)
    guard frame.range(of: marker) != nil else { return frame }
    var out = Data()
    out.reserveCapacity(frame.count)
    var rest = frame[...]
    while let start = rest.range(of: marker) {
      guard let end = rest[start.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { break }
      let token = String(decoding: rest[(start.lowerBound + 1)..<end], as: UTF8.self)
      guard let bytes = held.withLock({ $0.removeValue(forKey: token) }) else {
        out.append(rest[..<(end + 1)])
        rest = rest[(end + 1)...]
        continue
      }
      out.append(rest[..<start.lowerBound])
      out.append(contentsOf: bytes)
      rest = rest[(end + 1)...]
    }
    out.append(rest)
    return out
  }
}
