import Foundation
import JSONRPC
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Log set-up: swift-log into a bounded, never-blocking stderr sink.
enum LogSetup {
  static func level(flag: String?, environment: [String: String]) -> Logger.Level {
    if let flag, let level = Logger.Level(rawValue: flag.lowercased()) { return level }
    if let value = environment["SWITCHBOARD_LOG_LEVEL"], let level = Logger.Level(rawValue: value.lowercased()) {
      return level
    }
    return .warning
  }

  static func bootstrap(level: Logger.Level) {
    LoggingSystem.bootstrap { label in
      var handler = StderrLogHandler(label: label, sink: StderrSink.shared)
      handler.logLevel = level
      return handler
    }
  }

  /// Writes what is queued (best effort, bounded wait) before the process exits.
  static func flush() { StderrSink.shared.flush(timeout: 1) }
}

/// Formats one line per message: `2026-11-25T08:00:00Z warning switchboard: message key=value`.
struct StderrLogHandler: LogHandler {
  let label: String
  let sink: StderrSink
  var logLevel: Logger.Level = .warning
  var metadata: Logger.Metadata = [:]

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    var line = "\(Date().formatted(.iso8601)) \(event.level) \(label): \(event.message)"
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
    line += "\n"
    sink.enqueue(line)
  }
}

/// A bounded queue drained to fd 2 by its own thread: when stderr is not read and the queue is
/// full, lines are dropped (and counted) instead of blocking the service.
final class StderrSink: @unchecked Sendable {
  static let shared = StderrSink()

  private let condition = NSCondition()
  private var queue: [String] = []
  private var queuedBytes = 0
  private var dropped = 0
  private var writing = false
  private let limitBytes = 1 << 20

  private init() {
    let thread = Thread { [self] in run() }
    thread.name = "switchboard.stderr"
    thread.start()
  }

  func enqueue(_ line: String) {
    condition.lock()
    if queuedBytes + line.utf8.count > limitBytes {
      dropped += 1
    } else {
      queue.append(line)
      queuedBytes += line.utf8.count
      condition.signal()
    }
    condition.unlock()
  }

  func flush(timeout: TimeInterval) {
    let deadline = Date().addingTimeInterval(timeout)
    condition.lock()
    while !queue.isEmpty || writing {
      if !condition.wait(until: deadline) { break }
    }
    condition.unlock()
  }

  private func run() {
    while true {
      condition.lock()
      while queue.isEmpty { condition.wait() }
      var text = queue.joined()
      queue.removeAll(keepingCapacity: true)
      queuedBytes = 0
      if dropped > 0 {
        text = "(\(dropped) log lines dropped: stderr was not being read)\n" + text
        dropped = 0
      }
      writing = true
      condition.unlock()
      // A closed stderr drops the text.
      _ = Array(text.utf8).withUnsafeBytes { StdioProcess.writeAll(STDERR_FILENO, $0) }
      condition.lock()
      writing = false
      condition.broadcast()
      condition.unlock()
    }
  }
}
