import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Process-level protections every stdio server needs.
public enum StdioProcess {
  /// Moves the real stdout aside and points fd 1 at stderr, so a stray `print` lands in the
  /// log instead of corrupting the protocol stream. Returns the descriptor to write frames to.
  public static func protectStandardOutput() -> Int32 {
    let protocolOutput = dup(STDOUT_FILENO)
    guard protocolOutput >= 0 else { return STDOUT_FILENO }
    _ = fcntl(protocolOutput, F_SETFD, FD_CLOEXEC)
    _ = dup2(STDERR_FILENO, STDOUT_FILENO)
    return protocolOutput
  }

  /// A write to a closed pipe returns EPIPE instead of killing the process.
  public static func ignoreSIGPIPE() {
    _ = signal(SIGPIPE, SIG_IGN)
  }
}

/// (Dispatch sources are thread-safe but not marked Sendable; they are only set up in `init`.)
/// Calls back once when SIGTERM or SIGINT arrives.
public final class TerminationSignals: @unchecked Sendable {
  private let sources: [any DispatchSourceSignal]

  public init(_ signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (Int32) -> Void) {
    let queue = DispatchQueue(label: "switchboard.signals")
    sources = signals.map { number in
      _ = signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
      source.setEventHandler { handler(number) }
      source.resume()
      return source
    }
  }
}

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
      guard let reason, state.fired.withLock({ fired in defer { fired = true }; return !fired }) else { return }
      onDeath(reason)
    }
    timer.resume()
  }

  /// Adds a pid to watch (`--clientProcessId` or `initialize.processId`).
  public func watch(_ pid: Int32) {
    _ = state.pids.withLock { $0.insert(pid) }
  }

  deinit { timer.cancel() }
}
