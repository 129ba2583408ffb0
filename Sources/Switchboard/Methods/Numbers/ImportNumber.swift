import Foundation
import JSON
import JSONRPC
import Telephony

/// `importNumber`: brings a Twilio number into Vapi, SMS left alone (`smsEnabled: false`).
enum ImportNumber: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var sid: PhoneNumberSID?
    @Param(description: "The Twilio number, E.164.") var phoneNumber: E164Number?
    @Param var name: NumberName?
    @Param var idempotencyKey: IdempotencyKey?

    func validate() throws {
      if (sid == nil) == (phoneNumber == nil) {
        throw ParamsError(
          pointer: sid == nil ? "/sid" : "/phoneNumber", reason: "give exactly one of sid or phoneNumber")
      }
    }
  }
  typealias Result = Number
  static let name = "importNumber"
  static let summary = "Imports a number of the Twilio account into Vapi, voice only (`smsEnabled: false`)."
  static let description: String? =
    "Give exactly one of `sid` (a PN… SID) or `phoneNumber` (E.164); either is looked up in the Twilio account first (`notFound` if it is not there). Without `name` the Twilio friendly name is reused (cut to 40 characters). A number the Vapi list already holds is `conflict`, decided before anything is posted. Vapi rewrites the number's voice webhook; its messaging webhook is left alone."
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
    .upstreamOutcomeUnknown, .notFound, .conflict, .notVoiceCapable, .vaultLocked, .vaultCorrupt, .vaultUnavailable,
    .vaultUnsafe)
  static let examples = [
    MethodExample(
      "import by SID",
      params: ["sid": "PN0123456789abcdef0123456789abcdef", "name": "Main line", "idempotencyKey": "imp-7f3a"],
      result: Number.example)
  ]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let importer = try TwilioImport(
      service: service, credentials: try service.credentials(params.profile.orDefault), lookup: .search)
    return try await importer.run(
      .init(sid: params.sid?.value, phoneNumber: params.phoneNumber?.value, name: params.name?.value),
      idempotencyKey: params.idempotencyKey?.value)
  }
}
