import Foundation
import JSONRPC
import Synchronization
import Telephony
import Vault

/// Runs one `AccountWrite` (a purchase, an import, an update, a release) under an optional
/// idempotency key, and records it in the operations ledger.
///
/// The key is stored before the upstream call and its outcome after it, so the same key again,
/// even after a crash or a restart, returns the first outcome instead of buying twice. A key whose
/// earlier attempt never finished (a crash, or a reply lost in transit) is reconciled against the
/// Vapi list before anything is sent again.
struct LedgeredWrite: Sendable {
  let service: SwitchboardService
  let profile: String
  let method: String
  /// What the change is about (a phone number, an area code, an id), for the ledger.
  var target: String
  let idempotencyKey: String?
  /// The params that define the operation; the same key with other params is refused.
  let fingerprint: String
  /// The ledger's note on success (e.g. which fields an update changed); never a secret.
  var successDetail: String? = nil

  /// Sends `write` (or, for a key seen before, returns or reconciles its first outcome) and records it.
  func run(_ write: some AccountWrite) async throws -> Number {
    let vault = try service.vault()
    guard let key = idempotencyKey else {
      return try await attempt(vault: vault, key: nil, write: write)
    }
    let slot = profile + "\u{0}" + key
    let claimed = service.idempotencyInProgress.withLock { $0.insert(slot).inserted }
    guard claimed else { throw Self.inProgress }
    defer { _ = service.idempotencyInProgress.withLock { $0.remove(slot) } }

    let me = ProcessIdentity.current
    switch try vault.beginIdempotent(profile: profile, key: key, method: method, fingerprint: fingerprint, owner: me) {
    case .mismatch:
      throw RPCError.invalidParams(field: "/idempotencyKey", reason: "was already used with different params")
    case .completed(let outcome):
      return try StoredOutcome.replay(outcome)
    case .started:
      return try await attempt(vault: vault, key: key, write: write)
    case .pending:
      // An earlier attempt never recorded its outcome. If its process still runs, it is still at
      // work; otherwise take the key over and find out whether that attempt reached upstream.
      let earlier = try vault.idempotencyRecord(profile: profile, key: key)
      if let owner = earlier?.owner, ProcessIdentity.isAlive(owner) { throw Self.inProgress }
      guard try vault.claimIdempotent(profile: profile, key: key, owner: me, expectedOwner: earlier?.owner) else {
        throw Self.inProgress
      }
      guard let earlier, let sentAt = earlier.sentAt else {
        // The earlier attempt never got as far as sending: nothing to reconcile.
        return try await attempt(vault: vault, key: key, write: write)
      }
      return try await resume(vault: vault, key: key, earlier: earlier, sentAt: sentAt, write: write)
    }
  }

  private static let inProgress = DomainError(
    .conflict, "A request with this idempotencyKey is still in progress.",
    data: ["resource": "idempotencyKey", "reason": "inProgress"])

  /// Reconciles a key whose earlier write was sent but whose outcome is unknown, then sends again
  /// only if that write can no longer land.
  private func resume(
    vault: Vault, key: String, earlier: IdempotencyRecord, sentAt: Date, write: some AccountWrite
  ) async throws -> Number {
    // Numbers another operation of this profile already accounts for are not ours.
    let accounted = Set(
      try vault.operations(profile: profile, limit: Vault.maximumOperationsLimit).compactMap(\.numberId))
    let found: VapiPhoneNumber?
    do {
      found = try await write.candidates(since: earlier.createdAt).first { !accounted.contains($0.id) }
    } catch {
      try? vault.suspendIdempotent(profile: profile, key: key)
      throw error
    }
    if let found {
      let number = Number(found)
      try settle(
        vault, operationId: earlier.operationId, .succeeded, number: number,
        detail: "Confirmed by reconciliation: Vapi holds the number this request created.")
      try vault.completeIdempotent(profile: profile, key: key, outcome: StoredOutcome.success(number))
      return number
    }
    // Nothing there yet. The earlier write may still be processed upstream until the settle window
    // has passed since its attempt ended (a process that died mid-attempt ended, at the latest, a
    // deadline after sending): no new POST before then.
    let ended = earlier.endedAt ?? sentAt.addingTimeInterval(service.httpDeadline)
    let wait = ended.addingTimeInterval(service.idempotencySettle).timeIntervalSinceNow
    if wait > 0 {
      try? vault.suspendIdempotent(profile: profile, key: key)
      throw DomainError(
        .upstreamOutcomeUnknown,
        "An earlier attempt with this idempotencyKey may still be processed by Vapi; retry in \(Int(wait.rounded(.up))) s.",
        data: [
          "provider": "vapi", "reason": "earlier attempt unresolved",
          "retryAfterMs": .int(Int((wait * 1000).rounded(.up))),
        ])
    }
    // The window has passed and this fresh look found nothing: the earlier write did not happen.
    if let operationId = earlier.operationId {
      try vault.updateOperation(
        id: operationId, outcome: .failed,
        detail: "Not created: reconciliation after the settle window found no number from this request.",
        errorKind: DomainError.Kind.upstreamOutcomeUnknown.rawValue)
    }
    return try await attempt(vault: vault, key: key, write: write)
  }

  private func attempt(vault: Vault, key: String?, write: some AccountWrite) async throws -> Number {
    let sent = Mutex(false)
    do {
      let number = Number(
        try await write.send {
          if let key { try vault.markIdempotentSent(profile: profile, key: key) }
          sent.withLock { $0 = true }
        })
      try record(vault, .succeeded, number: number, error: nil)
      if let key { try vault.completeIdempotent(profile: profile, key: key, outcome: StoredOutcome.success(number)) }
      return number
    } catch {
      let disposition = StoredOutcome.disposition(of: error, sent: sent.withLock { $0 })
      let row = try? record(vault, disposition == .keepPending ? .unknown : .failed, number: nil, error: error)
      if let key {
        switch disposition {
        case .store:
          let rpc = (error as? any RPCErrorConvertible)?.rpcError
          _ = try? vault.completeIdempotent(
            profile: profile, key: key, outcome: StoredOutcome.failure(rpc ?? .internalError))
        case .release: _ = try? vault.releaseIdempotent(profile: profile, key: key)
        case .keepPending:
          try? vault.suspendIdempotent(profile: profile, key: key, attemptEnded: Date(), operationId: row?.id)
        }
      }
      throw error
    }
  }

  /// Rewrites the ledger row of an attempt whose outcome was unknown, or records a new row when the
  /// attempt left none (its process died).
  private func settle(_ vault: Vault, operationId: Int64?, _ outcome: OperationOutcome, number: Number, detail: String)
    throws
  {
    if let operationId,
      try vault.updateOperation(
        id: operationId, outcome: outcome, detail: detail, numberId: number.id, target: number.number)
    {
      return
    }
    try vault.recordOperation(
      NewOperation(
        profile: profile, method: method, target: number.number ?? target, outcome: outcome, detail: detail,
        numberId: number.id))
  }

  @discardableResult
  private func record(_ vault: Vault, _ outcome: OperationOutcome, number: Number?, error: (any Error)?) throws
    -> OperationRecord
  {
    var kind: String? = nil
    var detail: String? = outcome == .succeeded ? successDetail : nil
    if let error {
      if error is CancellationError {
        kind = "cancelled"
        detail =
          outcome == .unknown
          ? "Cancelled by the client after the request was sent; whether Vapi made the change is not known yet."
          : "Cancelled by the client before anything was sent."
      } else {
        kind = errorKind(of: error)
        detail = (error as? any RPCErrorConvertible)?.rpcError.message
      }
    }
    return try vault.recordOperation(
      NewOperation(
        profile: profile, method: method, target: number?.number ?? target, outcome: outcome, detail: detail,
        numberId: number?.id, errorKind: kind))
  }
}
