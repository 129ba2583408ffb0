import Foundation

/// Bootstraps swift-log once per process (it traps on a second bootstrap).
enum LoggingState {
  private static let lock = NSLock()
  nonisolated(unsafe) private static var done = false
  static func once(_ body: () -> Void) {
    lock.lock()
    defer { lock.unlock() }
    if !done {
      done = true
      body()
    }
  }
}
