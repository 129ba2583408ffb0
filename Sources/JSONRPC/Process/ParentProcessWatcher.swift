import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Polls whether the host process is still there: a given pid (signal 0), and our parent (re-parenting).
public final class ParentProcessWatcher: @unchecked Sendable {
  private let timer: any DispatchSourceTimer
  private let state: WatchState

  private final class WatchState: Sendable {
    let pids = Mutex<Set<Int32>>([])
    let fired = Mutex(false)
  }

  /// Starts watching; `onDeath` is called once, from a background queue.
  public init(interval: Duration = .seconds(2), onDeath: @escaping @Sendable (String) -> Void) {
    let originalParent = getppid()
    let state = WatchState()
    self.state = state
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "switchboard.parent-watch"))
    let (seconds, attoseconds) = interval.components
    let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
    timer.setEventHandler {
      var reason: String? = nil
      if originalParent > 1, getppid() != originalParent {
        reason = "the parent process exited"
      } else {
        for pid in state.pids.withLock({ $0 }) where kill(pid, 0) != 0 && errno == ESRCH {
          reason = "the client process \(pid) exited"
        }
      }
      guard let reason,
        state.fired.withLock({ fired in
          defer { fired = true }
          return !fired
        })
      else { return }
      onDeath(reason)
    }
    timer.resume()
  }

  /// Adds a pid to watch (`--clientProcessId` or `initialize.processId`). A pid this process cannot
  /// see at all (the host runs in another PID namespace: Flatpak, Snap, a container) is not watched,
  /// since it would look dead at once: returns false so the caller can say so.
  @discardableResult
  public func watch(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
    _ = state.pids.withLock { $0.insert(pid) }
    return true
  }

  deinit { timer.cancel() }
}
