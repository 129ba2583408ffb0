import JSONRPC
import Synchronization

/// The `tools/call` requests running, by id: cancellation, how each one ends, and waiting for them all.
final class InFlightCalls: Sendable {
  /// What goes out when a call ends.
  enum Ending: Equatable {
    /// Its reply.
    case reply
    /// Nothing: the client cancelled it (MCP sends no reply to a cancelled request).
    case silent
    /// -32802: the server gave up on it (still running when the drain limit passed).
    case serverCancelled
  }

  private struct Entry {
    var task: Task<Void, Never>?
    var ending = Ending.reply
  }

  private struct State {
    var entries: [RequestID: Entry] = [:]
    var idle: [Waiter] = []
  }

  private let state = Mutex(State())

  var count: Int { state.withLock { $0.entries.count } }

  /// Registers a call about to start; false when a call with this id is already running.
  func begin(_ id: RequestID) -> Bool {
    state.withLock { state in
      guard state.entries[id] == nil else { return false }
      state.entries[id] = Entry()
      return true
    }
  }

  /// Gives the call its task (cancelled at once if a cancel came in between).
  func attach(_ task: Task<Void, Never>, to id: RequestID) {
    let cancelNow = state.withLock { state -> Bool in
      guard state.entries[id] != nil else { return false }
      state.entries[id]!.task = task
      return state.entries[id]!.ending != .reply
    }
    if cancelNow { task.cancel() }
  }

  /// The client cancelled `id`: it stops and gets no reply. An id not running is ignored.
  func cancel(_ id: RequestID) {
    let task = state.withLock { state -> Task<Void, Never>? in
      guard state.entries[id] != nil else { return nil }
      state.entries[id]!.ending = .silent
      return state.entries[id]!.task
    }
    task?.cancel()
  }

  /// The server gives up on every running call.
  func cancelAll() {
    let tasks = state.withLock { state -> [Task<Void, Never>] in
      for id in state.entries.keys where state.entries[id]!.ending == .reply {
        state.entries[id]!.ending = .serverCancelled
      }
      return state.entries.values.compactMap(\.task)
    }
    for task in tasks { task.cancel() }
  }

  /// The call with `id` is done: `answer` writes what goes out for it, and only then does the call
  /// stop counting as running (so a drain ends after its reply is queued).
  func finish(_ id: RequestID, answer: (Ending) -> Void) {
    answer(state.withLock { $0.entries[id]?.ending ?? .silent })
    let woken = state.withLock { state -> [Waiter] in
      state.entries[id] = nil
      guard state.entries.isEmpty else { return [] }
      defer { state.idle = [] }
      return state.idle
    }
    for waiter in woken { waiter.resume(true) }
  }

  /// Waits until no call is running, or `limit` has passed; returns whether none is.
  func drain(within limit: Duration) async -> Bool {
    let waiter = Waiter()
    return await withCheckedContinuation { continuation in
      waiter.set(continuation)
      let idle = state.withLock { state -> Bool in
        if state.entries.isEmpty { return true }
        state.idle.append(waiter)
        return false
      }
      if idle {
        waiter.resume(true)
      } else {
        Task {
          try? await Task.sleep(for: limit)
          waiter.resume(false)
        }
      }
    }
  }

  /// One suspended `drain`, resumed once by whichever comes first: the last call ending, or the limit.
  private final class Waiter: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
    func set(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation.withLock { $0 = continuation } }
    func resume(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
  }
}
