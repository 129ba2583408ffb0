import Synchronization

/// Orders requests that touch the same key: readers share, writers run alone, in arrival order.
///
/// A place in line is taken synchronously when the request arrives (on the reader thread),
/// so "set credentials, then list numbers" sent back to back always runs in that order,
/// while requests on other keys, or readers of one key, still run concurrently.
final class AccessScheduler: Sendable {
  struct Ticket: Sendable {
    let key: String
    let serial: UInt64
  }

  private struct Waiter {
    let serial: UInt64
    let exclusive: Bool
    var granted = false
    var continuation: CheckedContinuation<Void, Never>?
  }

  private struct State {
    var nextSerial: UInt64 = 0
    var queues: [String: [Waiter]] = [:]
  }

  private let state = Mutex(State())

  /// Takes a place in line for `scheduling`; `nil` for concurrent requests.
  func enqueue(_ scheduling: Scheduling) -> Ticket? {
    let (key, exclusive): (String, Bool)
    switch scheduling {
    case .concurrent: return nil
    case .reading(let k): (key, exclusive) = (k, false)
    case .writing(let k): (key, exclusive) = (k, true)
    }
    return state.withLock { state in
      state.nextSerial += 1
      let serial = state.nextSerial
      state.queues[key, default: []].append(Waiter(serial: serial, exclusive: exclusive))
      Self.grant(&state.queues[key]!)
      return Ticket(key: key, serial: serial)
    }
  }

  /// Suspends until the ticket's turn comes, or until the task is cancelled (the place is then given up).
  func wait(_ ticket: Ticket?) async {
    guard let ticket else { return }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state -> Bool in
          guard let index = state.queues[ticket.key]?.firstIndex(where: { $0.serial == ticket.serial }) else {
            return true  // cancelled before we got here
          }
          if state.queues[ticket.key]![index].granted { return true }
          state.queues[ticket.key]![index].continuation = continuation
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      release(ticket)
    }
  }

  /// Leaves the line (after running, or when cancelled while waiting).
  func release(_ ticket: Ticket?) {
    guard let ticket else { return }
    let toResume = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      guard var queue = state.queues[ticket.key],
        let index = queue.firstIndex(where: { $0.serial == ticket.serial })
      else { return [] }
      var resumed: [CheckedContinuation<Void, Never>] = []
      if let continuation = queue[index].continuation { resumed.append(continuation) }
      queue.remove(at: index)
      resumed += Self.grant(&queue)
      state.queues[ticket.key] = queue.isEmpty ? nil : queue
      return resumed
    }
    for continuation in toResume { continuation.resume() }
  }

  /// Grants the head of the line (a writer alone, or a run of readers); returns continuations to resume.
  @discardableResult
  private static func grant(_ queue: inout [Waiter]) -> [CheckedContinuation<Void, Never>] {
    var resumed: [CheckedContinuation<Void, Never>] = []
    for index in queue.indices {
      if queue[index].exclusive && index > 0 { break }
      if !queue[index].granted {
        queue[index].granted = true
        if let continuation = queue[index].continuation {
          resumed.append(continuation)
          queue[index].continuation = nil
        }
      }
      if queue[index].exclusive { break }
    }
    return resumed
  }
}
