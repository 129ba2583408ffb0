import Synchronization

/// Orders requests that touch the same key: readers share, writers run alone, in arrival order.
///
/// A place in line is taken synchronously when the request arrives (on the reader thread),
/// so "set credentials, then list numbers" sent back to back always runs in that order,
/// while requests on other keys, or readers of one key, still run concurrently. Every
/// operation is O(1) amortised, however many requests queue on one key.
final class AccessScheduler: Sendable {
  struct Ticket: Sendable {
    let key: String
    let serial: UInt64
  }

  private enum Place {
    case waiting(exclusive: Bool, continuation: CheckedContinuation<Void, Never>?)
    case running(exclusive: Bool)
  }

  /// One key's line: who runs, and who waits (FIFO; entries that left are skipped lazily).
  private struct Line {
    var readers = 0
    var writer = false
    var queue: [UInt64] = []
    var head = 0
    var places: [UInt64: Place] = [:]

    var isIdle: Bool { readers == 0 && !writer && places.isEmpty }

    /// Lets waiting requests at the head of the line run; returns whom to wake.
    mutating func admit() -> [CheckedContinuation<Void, Never>] {
      var woken: [CheckedContinuation<Void, Never>] = []
      while head < queue.count {
        let serial = queue[head]
        guard case .waiting(let exclusive, let continuation)? = places[serial] else {
          head += 1  // left the line while waiting
          continue
        }
        if exclusive ? (readers > 0 || writer) : writer { break }
        places[serial] = .running(exclusive: exclusive)
        if exclusive { writer = true } else { readers += 1 }
        if let continuation { woken.append(continuation) }
        head += 1
      }
      if head > 64 && head * 2 > queue.count {
        queue.removeFirst(head)
        head = 0
      }
      return woken
    }
  }

  private struct State {
    var nextSerial: UInt64 = 0
    var lines: [String: Line] = [:]
  }

  private let state = Mutex(State())

  /// Takes a place in line for `scheduling`; `nil` for concurrent requests.
  func enqueue(_ scheduling: Scheduling) -> Ticket? {
    let (key, exclusive): (String, Bool)
    switch scheduling {
    case .concurrent, .sequential: return nil
    case .shared(let k): (key, exclusive) = (k, false)
    case .exclusive(let k): (key, exclusive) = (k, true)
    }
    return state.withLock { state in
      state.nextSerial += 1
      let serial = state.nextSerial
      state.lines[key, default: Line()].queue.append(serial)
      state.lines[key]!.places[serial] = .waiting(exclusive: exclusive, continuation: nil)
      _ = state.lines[key]!.admit()  // nobody is suspended yet: nothing to wake
      return Ticket(key: key, serial: serial)
    }
  }

  /// Suspends until the ticket's turn comes, or until the task is cancelled (the place is then given up).
  func wait(_ ticket: Ticket?) async {
    guard let ticket else { return }
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let resumeNow = state.withLock { state -> Bool in
          guard case .waiting(let exclusive, _)? = state.lines[ticket.key]?.places[ticket.serial] else {
            return true  // running already, or left the line
          }
          state.lines[ticket.key]!.places[ticket.serial] = .waiting(exclusive: exclusive, continuation: continuation)
          return false
        }
        if resumeNow { continuation.resume() }
      }
    } onCancel: {
      release(ticket)
    }
  }

  /// Leaves the line: after running, or when cancelled while waiting. Releasing twice is harmless.
  func release(_ ticket: Ticket?) {
    guard let ticket else { return }
    let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      // Take the line out of the dictionary so it is mutated in place, not copied.
      guard var line = state.lines.removeValue(forKey: ticket.key) else { return [] }
      guard let place = line.places.removeValue(forKey: ticket.serial) else {
        state.lines[ticket.key] = line
        return []
      }
      var woken: [CheckedContinuation<Void, Never>] = []
      switch place {
      case .running(let exclusive):
        if exclusive { line.writer = false } else { line.readers -= 1 }
      case .waiting(_, let continuation):
        if let continuation { woken.append(continuation) }  // cancelled while waiting: let it go
      }
      woken += line.admit()
      if !line.isIdle { state.lines[ticket.key] = line }
      return woken
    }
    for continuation in woken { continuation.resume() }
  }
}
