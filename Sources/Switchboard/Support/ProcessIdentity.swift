import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Names this process as the owner of a pending idempotency key, and tells whether the owner
/// named in a record is still running (so a key held by a crashed process can be taken over).
enum ProcessIdentity {
  /// `pid:start-time`: the start time tells a reused pid from the original process.
  static let current: String = token(for: getpid())

  static func token(for pid: Int32) -> String { "\(pid):\(startTime(of: pid) ?? "?")" }

  /// Whether the process `token` names still runs (unknown tokens count as running: never steal).
  static func isAlive(_ token: String) -> Bool {
    let parts = token.split(separator: ":", maxSplits: 1)
    guard parts.count == 2, let pid = Int32(parts[0]), pid > 0 else { return true }
    if kill(pid, 0) != 0 && errno == ESRCH { return false }
    if let started = startTime(of: pid), parts[1] != "?", started != parts[1] { return false }
    return true
  }

  /// Field 22 of `/proc/<pid>/stat` (start time in clock ticks since boot), or nil off Linux.
  static func startTime(of pid: Int32) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command name: field 3 (state) is fields[0], so field 22 is fields[19].
    return fields.count > 19 ? String(fields[19]) : nil
  }
}
