import JSON
import JSONRPC
import Telephony
import Vault
import XCTest

@testable import Switchboard

final class ErrorMappingTests: XCTestCase {
  func testEveryKindHasItsOwnCodeOutsideTheReservedRange() {
    let codes = DomainError.Kind.allCases.map(\.code)
    XCTAssertEqual(Set(codes).count, codes.count)
    for code in codes { XCTAssertFalse((-32768 ... -32000).contains(code)) }
  }

  func testUpstreamErrorsMapToKinds() {
    func kind(_ error: UpstreamError) -> String? { error.rpcError.data?["kind"]?.stringValue }
    XCTAssertEqual(kind(UpstreamError(provider: .vapi, kind: .unauthorized, status: 401)), "upstream.unauthorized")
    XCTAssertEqual(kind(UpstreamError(provider: .twilio, kind: .notFound, status: 404)), "notFound")
    XCTAssertEqual(kind(UpstreamError(provider: .vapi, kind: .rateLimited(retryAfterMs: 1500))), "upstream.rateLimited")
    XCTAssertEqual(
      UpstreamError(provider: .vapi, kind: .rateLimited(retryAfterMs: 1500)).rpcError.data?["retryAfterMs"], .int(1500))
    XCTAssertEqual(
      kind(UpstreamError(provider: .vapi, kind: .unavailable, reason: "timed out")), "upstream.unavailable")
    XCTAssertEqual(kind(UpstreamError(provider: .vapi, kind: .outcomeUnknown)), "upstream.outcomeUnknown")
    let rejected = UpstreamError(
      provider: .vapi, kind: .rejected, status: 400, upstreamCode: "Bad Request",
      upstreamMessage: "property areaCode should not exist")
    XCTAssertEqual(rejected.rpcError.code, 1003)
    XCTAssertEqual(rejected.rpcError.message, "Vapi API error: 400 - property areaCode should not exist")
    XCTAssertEqual(rejected.rpcError.data?["upstreamMessage"], "property areaCode should not exist")
  }

  func testVaultErrorsMapToKinds() {
    XCTAssertEqual(VaultError.locked(reason: .wrongKey).rpcError.data?["kind"], "vault.locked")
    XCTAssertEqual(VaultError.locked(reason: .wrongKey).rpcError.data?["reason"], "wrongKey")
    XCTAssertEqual(
      VaultError.corrupt(profile: "p", fields: [.twilioAuthToken]).rpcError.data?["fields"], ["twilioAuthToken"])
    XCTAssertEqual(VaultError.io("SQLite error 13").rpcError.code, 1011)
  }

  func testIdempotencyDispositions() {
    XCTAssertEqual(StoredOutcome.disposition(of: CancellationError(), sent: true), .keepPending)
    XCTAssertEqual(StoredOutcome.disposition(of: CancellationError(), sent: false), .release)
    XCTAssertEqual(
      StoredOutcome.disposition(of: UpstreamError(provider: .vapi, kind: .outcomeUnknown), sent: true), .keepPending)
    XCTAssertEqual(
      StoredOutcome.disposition(of: UpstreamError(provider: .vapi, kind: .rejected, status: 400), sent: true), .store)
    XCTAssertEqual(
      StoredOutcome.disposition(of: UpstreamError(provider: .vapi, kind: .unauthorized), sent: true), .release)
    XCTAssertEqual(
      StoredOutcome.disposition(of: UpstreamError(provider: .vapi, kind: .rateLimited(retryAfterMs: nil)), sent: true),
      .release)
    XCTAssertEqual(StoredOutcome.disposition(of: CredentialsMissing.vapi(), sent: true), .release)
  }

  func testStoredOutcomesReplay() throws {
    let number = Number(
      VapiPhoneNumber(id: "x", provider: "vapi", number: "+14155550100", createdAt: "2026-11-25T09:00:00.000Z"))
    XCTAssertEqual(try StoredOutcome.replay(try StoredOutcome.success(number)), number)
    let stored = StoredOutcome.failure(
      RPCError(code: 1003, message: "Vapi API error: 400 - no", data: ["kind": "upstream.error"]))
    XCTAssertThrowsError(try StoredOutcome.replay(stored)) {
      XCTAssertEqual(($0 as? RPCError)?.code, 1003)
    }
  }

  func testNumberNeverCarriesUnknownUpstreamFieldsAndVoiceOnlyFollowsSms() throws {
    let sms = Number(VapiPhoneNumber(id: "a", provider: "twilio", createdAt: "t", smsEnabled: true))
    XCTAssertFalse(sms.voiceOnly)
    let plain = Number(VapiPhoneNumber(id: "b", provider: "vapi", createdAt: "t"))
    XCTAssertTrue(plain.voiceOnly)
    let keys = try JSONValueEncoder().encode(sms).objectValue?.keys ?? []
    XCTAssertEqual(Set(keys), ["id", "provider", "createdAt", "smsEnabled", "voiceOnly"])
  }
}
