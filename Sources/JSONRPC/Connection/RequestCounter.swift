import Foundation

/// Counts admitted requests whose reply has not been handed over, and lets callers wait
/// (blocking or async, with a deadline) until it drops to a threshold: no polling.
final class RequestCounter: @unchecked Sendable {
  private let condition = NSCondition()
  private var count = 0
  private var waiters: [(threshold: Int, resume: @Sendable () -> Void)] = []

  var value: Int { condition.withLock { count } }

  func increment() { condition.withLock { count += 1 } }

  func decrement() {
    var ready: [@Sendable () -> Void] = []
    condition.withLock {
      count -= 1
      waiters.removeAll { waiter in
        guard count <= waiter.threshold else { return false }
        ready.append(waiter.resume)
        return true
      }
      condition.broadcast()
    }
    for resume in ready { resume() }
  }

  /// Blocks until at most `threshold` remain; false if `timeout` passed first.
  @discardableResult
  func wait(atMost threshold: Int, timeout: Duration) -> Bool {
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    let deadline = Date().addingTimeInterval(seconds)
    condition.lock()
    defer { condition.unlock() }
    while count > threshold {
      if !condition.wait(until: deadline) { return count <= threshold }
    }
    return true
  }

  /// Suspends until at most `threshold` remain, or `timeout` passes.
  func waitAsync(atMost threshold: Int, timeout: Duration) async {
    let once = ReplyGate()
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let resume: @Sendable () -> Void = { if once.claim() { continuation.resume() } }
      let now = condition.withLock { () -> Bool in
        if count <= threshold { return true }
        waiters.append((threshold, resume))
        return false
      }
      if now {
        resume()
        return
      }
      Task {
        try? await Task.sleep(for: timeout)
        resume()
      }
    }
  }
}
