import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
