import Foundation
import Telephony

/// One write to the upstream account: a purchase, an import, an update or a release. It says what to
/// send and, for a write that creates a number, how to recognise what a lost attempt created.
/// `LedgeredWrite` runs it under an idempotency key and records it in the ledger.
protocol AccountWrite: Sendable {
  /// Numbers an attempt that began at `since` may have created upstream, best match first.
  func candidates(since: Date) async throws -> [VapiPhoneNumber]

  /// Sends the write. `beforeSend` must be called right before the request that may spend money
  /// (it stamps the idempotency record and marks the outcome as possibly reached upstream); a
  /// throw from it means nothing may be sent.
  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber
}

extension AccountWrite {
  /// An update or a release creates nothing: no candidates.
  func candidates(since: Date) async throws -> [VapiPhoneNumber] { [] }
}
