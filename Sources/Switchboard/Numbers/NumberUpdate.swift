import Telephony

/// Renaming or re-routing a number (`updateNumber`): a PATCH of the fields that change.
struct NumberUpdate: AccountWrite {
  let vapi: VapiClient
  let id: String
  let body: VapiUpdateBody

  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber {
    try Task.checkCancellation()
    try beforeSend()
    return try await vapi.updatePhoneNumber(id: id, body)
  }
}
