import Telephony

/// Releasing a number (`deleteNumber`, `deleteNumbers`): irreversible, never retried once sent.
struct NumberRelease: AccountWrite {
  let vapi: VapiClient
  let id: String

  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber {
    try Task.checkCancellation()
    try beforeSend()
    return try await vapi.deletePhoneNumber(id: id)
  }
}
