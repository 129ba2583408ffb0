import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C while a call runs: the first cancels it (the call then reports what it did), a second
/// ends the process at once.
final class Interrupt: @unchecked Sendable {
  private let source: DispatchSourceSignal
  private let lock = NSLock()
  private var count = 0

  var fired: Bool { lock.withLock { count > 0 } }

  init(_ onFirst: @escaping @Sendable () -> Void) {
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    source.setEventHandler { [unowned self] in
      let n = lock.withLock {
        count += 1
        return count
      }
      if n == 1 {
        Terminal.writeError("\n" + "Cancelling… (Ctrl-C again to quit at once)\n")
        onFirst()
      } else {
        Terminal.writeError("\n")
        _exit(ExitStatus.cancelled)
      }
    }
    source.resume()
  }

  func disarm() {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }
}
