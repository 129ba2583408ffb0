import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls back when SIGTERM or SIGINT arrives (each time; callers make their reaction idempotent).
///
/// A real handler and a self-pipe, not a dispatch signal source: a dispatch source on Linux reads
/// the signal from a `signalfd` and blocks it only in its own thread, so with the disposition set
/// to ignore, a signal the kernel hands to any other thread was silently lost (about one SIGINT in
/// forty left the server running). Here whichever thread takes the signal runs the handler, which
/// only writes the signal's number to a pipe (async-signal-safe); a thread of ours reads the pipe
/// and calls `handler` outside signal context.
public final class TerminationSignals: @unchecked Sendable {
  /// The pipe's write end, for the C handler (which cannot capture).
  nonisolated(unsafe) private static var writeEnd: Int32 = -1
  private let reader: Thread

  public init(_ signals: [Int32] = [SIGTERM, SIGINT], handler: @escaping @Sendable (Int32) -> Void) {
    var ends: [Int32] = [-1, -1]
    _ = pipe(&ends)
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    Self.writeEnd = ends[1]
    let readEnd = ends[0]
    reader = Thread {
      var byte: UInt8 = 0
      while true {
        let n = read(readEnd, &byte, 1)
        if n == 1 {
          handler(Int32(byte))
        } else if n < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
    reader.name = "switchboard.signals"
    reader.start()
    for number in signals {
      // glibc's signal() installs the handler with SA_RESTART: reads elsewhere are not interrupted.
      _ = signal(number) { received in
        var byte = UInt8(truncatingIfNeeded: received)
        _ = write(TerminationSignals.writeEnd, &byte, 1)
      }
    }
  }
}
