/// What the session remembers about ids it is not running: cancels that came before their
/// request, and ids answered recently (so a late cancel is not taken for an early one).
///
/// Every operation is O(1) amortised and both memories are bounded: a flood of cancels for
/// unknown ids costs a constant per cancel and evicts the oldest ones.
struct CancelLedger {
  static let earlyCapacity = 4096
  static let earlyLifetime = Duration.seconds(60)
  static let finishedCapacity = 64

  private var early: [RequestID: ContinuousClock.Instant] = [:]
  private var earlyOrder: [(RequestID, ContinuousClock.Instant)] = []
  private var earlyHead = 0
  private var finished: Set<RequestID> = []
  private var finishedOrder: [RequestID] = []
  private var finishedHead = 0

  var earlyCount: Int { early.count }

  /// Remembers a cancel for an id that is not running (unless it was answered recently).
  mutating func noteCancel(_ id: RequestID, now: ContinuousClock.Instant = .now) {
    guard !finished.contains(id) else { return }
    while earlyHead < earlyOrder.count,
      now - earlyOrder[earlyHead].1 >= Self.earlyLifetime || early.count >= Self.earlyCapacity
    {
      let (old, at) = earlyOrder[earlyHead]
      if early[old] == at { early[old] = nil }
      earlyHead += 1
    }
    if earlyHead > 1024 && earlyHead * 2 > earlyOrder.count {
      earlyOrder.removeFirst(earlyHead)
      earlyHead = 0
    }
    early[id] = now
    earlyOrder.append((id, now))
  }

  /// Whether a cancel for `id` arrived before it (and is still remembered); forgets it.
  mutating func takeEarlyCancel(_ id: RequestID, now: ContinuousClock.Instant = .now) -> Bool {
    guard let at = early.removeValue(forKey: id) else { return false }
    return now - at < Self.earlyLifetime
  }

  /// `id` was answered.
  mutating func noteFinished(_ id: RequestID) {
    guard finished.insert(id).inserted else { return }
    finishedOrder.append(id)
    if finishedOrder.count - finishedHead > Self.finishedCapacity {
      finished.remove(finishedOrder[finishedHead])
      finishedHead += 1
      if finishedHead > 256 {
        finishedOrder.removeFirst(finishedHead)
        finishedHead = 0
      }
    }
  }
}
