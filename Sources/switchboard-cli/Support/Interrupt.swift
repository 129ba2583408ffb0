import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe SIGINT is forwarded to while an ``Interrupt`` is armed (-1 otherwise).
nonisolated(unsafe) private var interruptPipe: Int32 = -1

/// Ctrl-C while a call runs: the first cancels it (the call then reports what it did), a second
/// ends the process at once.
///
/// The signal handler only writes a byte to a pipe (async-signal-safe); a read source on the pipe
/// does the work. Unlike a dispatch signal source, this can be armed again for a later call of the
/// same command (e.g. `release` lists the numbers, then deletes them).
final class Interrupt: @unchecked Sendable {
  private let source: DispatchSourceRead
  private let fds: (read: Int32, write: Int32)
  private let lock = NSLock()
  private var count = 0

  var fired: Bool { lock.withLock { count > 0 } }

  init(_ onFirst: @escaping @Sendable () -> Void) {
    var ends: [Int32] = [-1, -1]
    _ = pipe(&ends)
    fds = (ends[0], ends[1])
    _ = fcntl(fds.write, F_SETFL, O_NONBLOCK)
    source = DispatchSource.makeReadSource(fileDescriptor: fds.read, queue: .global())
    interruptPipe = fds.write
    signal(SIGINT) { _ in
      var byte: UInt8 = 1
      _ = write(interruptPipe, &byte, 1)
    }
    source.setEventHandler { [unowned self] in
      var buffer = [UInt8](repeating: 0, count: 16)
      let read = Glibc.read(fds.read, &buffer, buffer.count)
      guard read > 0 else { return }
      let n = lock.withLock {
        count += read
        return count
      }
      if n == read {
        Terminal.writeError("\n" + "Cancelling… (Ctrl-C again to quit at once)\n")
        onFirst()
      }
      if n > 1 {
        Terminal.writeError("\n")
        _exit(ExitStatus.cancelled)
      }
    }
    source.setCancelHandler { [fds] in
      close(fds.write)
      close(fds.read)
    }
    source.resume()
  }

  func disarm() {
    signal(SIGINT, SIG_DFL)
    interruptPipe = -1
    source.cancel()
  }
}
