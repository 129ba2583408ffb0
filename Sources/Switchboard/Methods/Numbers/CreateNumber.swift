import Foundation
import JSON
import JSONRPC
import Telephony

/// `createNumber`: a free Vapi number in a US area code, with a fallback destination.
enum CreateNumber: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var areaCode: String
    var name: String?
    /// Absent: the profile's transfer number; `null`: no fallback; a value: that number.
    var fallbackNumber: Patch<String>
    var idempotencyKey: String?

    enum CodingKeys: String, CodingKey { case profile, areaCode, name, fallbackNumber, idempotencyKey }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      guard c.contains(.areaCode), let code = try? c.decode(String.self, forKey: .areaCode), AreaCode.isValid(code)
      else {
        throw CreateNumber.invalidAreaCode
      }
      areaCode = code
      name = try c.decodeIfPresent(.name, as: NumberName.self)
      fallbackNumber = try c.decodePatch(.fallbackNumber, as: E164Number.self)
      idempotencyKey = try c.decodeIfPresent(.idempotencyKey, as: IdempotencyKey.self)
    }
  }

  /// The seed's message, as -32602 naming `/areaCode`.
  static let invalidAreaCode = ParamsError(
    pointer: "/areaCode", reason: AreaCode.reason,
    message: "Valid 3-digit area code is required")

  typealias Result = Number
  static let name = "createNumber"
  static let summary =
    "Creates a free Vapi number in a US area code, falling back to `fallbackNumber` or the profile's transfer number."
  static let description: String? =
    "Sends `{provider: \"vapi\", numberDesiredAreaCode, name?, fallbackDestination?: {type: \"number\", number}}`. Without `fallbackNumber` and without a stored transfer number the number has no fallback destination. A new number may be `activating` for a few minutes."
  static let params = [
    ProfileParams.descriptor,
    ContentDescriptor(
      "areaCode", AreaCode.schema, required: true),
    ContentDescriptor("name", NumberName.schema),
    ContentDescriptor(
      "fallbackNumber",
      .nullable(
        E164Number.schema("Fallback destination, E.164. Absent: the profile's transfer number; null: no fallback."))),
    ContentDescriptor("idempotencyKey", IdempotencyKey.schema),
  ]
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors =
    [
      ErrorDescriptor(
        code: RPCError.invalidParamsCode, message: "Valid 3-digit area code is required",
        data: ["field": "/areaCode", "reason": .string(AreaCode.reason)])
    ]
    + Errors.descriptors(
      .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
      .upstreamOutcomeUnknown, .conflict, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "create in 415", params: ["areaCode": "415", "name": "Sales", "idempotencyKey": "new-415-a"],
      result: Number.vapiExample)
  ]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    var fingerprint: JSONObject = ["areaCode": .string(params.areaCode)]
    if let name = params.name { fingerprint["name"] = .string(name) }
    let fallback: String?
    switch params.fallbackNumber {
    case .keep: fallback = credentials.transferNumber
    case .clear:
      fallback = nil
      fingerprint["fallbackNumber"] = .null
    case .set(let number):
      fallback = number
      fingerprint["fallbackNumber"] = .string(number)
    }
    let write = LedgeredWrite(
      service: service, profile: credentials.profile, method: name, target: params.areaCode,
      idempotencyKey: params.idempotencyKey, fingerprint: StoredOutcome.fingerprint(name, fingerprint))
    return try await write.run(
      FreeNumberPurchase(vapi: vapi, areaCode: params.areaCode, name: params.name, fallbackNumber: fallback))
  }
}
