import Foundation

/// The bytes a session may hold for the host, counted across everything queued or expected.
///
/// Two amounts share one limit: `queued` (replies and notifications waiting to be written, batch
/// replies still being collected included) and `reserved` (what running requests are expected to
/// produce, reserved when each is admitted). The reader admits a request only while both fit, so
/// when the host stops reading the session stops reading too (back-pressure) instead of queueing
/// more. One request is always admissible while nothing is reserved and the queue is under the
/// limit, so a reply larger than the estimate cannot wedge the session.
public final class OutputBudget: @unchecked Sendable {
  public let limitBytes: Int
  public let maxRequests: Int
  private let condition = NSCondition()
  // Guarded by `condition`:
  private var queued = 0
  private var reserved = 0
  private var requests = 0
  private var closed = false

  public init(limitBytes: Int, maxRequests: Int) {
    self.limitBytes = max(1, limitBytes)
    self.maxRequests = max(1, maxRequests)
  }

  /// Bytes now queued for the host.
  public var queuedBytes: Int { condition.withLock { queued } }

  func addQueued(_ bytes: Int) {
    condition.withLock { queued += bytes }
  }

  func removeQueued(_ bytes: Int) {
    condition.withLock {
      queued -= bytes
      condition.broadcast()
    }
  }

  /// Blocks until a request expected to produce `bytes` fits, then reserves them. A session calls
  /// this on its reading thread before handling a request, so a full budget stops the reading.
  /// Returns false when the budget was closed (the session is ending).
  public func admit(expecting bytes: Int) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while !closed {
      let fits =
        requests == 0 ? queued < limitBytes : (requests < maxRequests && queued + reserved + bytes <= limitBytes)
      if fits {
        reserved += bytes
        requests += 1
        return true
      }
      condition.wait()
    }
    return false
  }

  /// A request admitted with `bytes` has handed its reply over (or ended).
  public func finish(reserved bytes: Int) {
    condition.withLock {
      reserved -= bytes
      requests -= 1
      condition.broadcast()
    }
  }

  /// Wakes and refuses every waiter (the session is ending or the output failed).
  public func close() {
    condition.withLock {
      closed = true
      condition.broadcast()
    }
  }
}
