import Synchronization

/// Lets exactly one reply through for a request, whoever tries to answer it.
final class ReplyGate: Sendable {
  private let used = Atomic<Bool>(false)

  /// True the first time only.
  func claim() -> Bool {
    !used.exchange(true, ordering: .acquiringAndReleasing)
  }
}
