import Foundation
import JSON
import JSONRPC
import Telephony

/// `createNumber`: a free Vapi number in a US area code, with a fallback destination.
enum CreateNumber: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var areaCode: DesiredAreaCode
    @Param var name: NumberName?
    /// Absent: the profile's transfer number; `null`: no fallback; a value: that number.
    @Param(description: "Fallback destination, E.164. Absent: the profile's transfer number; null: no fallback.")
    var fallbackNumber: Nullable<E164Number>
    @Param var idempotencyKey: IdempotencyKey?
  }

  /// The area code to buy in: whatever is wrong with it (absent, `null`, not a string, not NANP)
  /// is refused with the seed's message, as -32602 naming the param.
  struct DesiredAreaCode: ParamValue {
    static let message = "Valid 3-digit area code is required"
    static var schema: JSONSchema { AreaCode.schema }
    let value: String

    static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
      guard let code = try? container.decode(String.self, forKey: key), AreaCode.isValid(code) else {
        throw ParamsError(pointer: "/\(key.stringValue)", reason: AreaCode.reason, message: message)
      }
      return DesiredAreaCode(value: code)
    }
  }

  typealias Result = Number
  static let name = "createNumber"
  static let summary =
    "Creates a free Vapi number in a US area code, falling back to `fallbackNumber` or the profile's transfer number."
  static let description: String? =
    "Sends `{provider: \"vapi\", numberDesiredAreaCode, name?, fallbackDestination?: {type: \"number\", number}}`. Without `fallbackNumber` and without a stored transfer number the number has no fallback destination. A new number may be `activating` for a few minutes."
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors =
    [
      ErrorDescriptor(
        code: RPCError.invalidParamsCode, message: DesiredAreaCode.message,
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
    let areaCode = params.areaCode.value
    let name = params.name?.value
    var fingerprint: JSONObject = ["areaCode": .string(areaCode)]
    if let name { fingerprint["name"] = .string(name) }
    let fallback: String?
    switch params.fallbackNumber {
    case .absent: fallback = credentials.transferNumber
    case .null:
      fallback = nil
      fingerprint["fallbackNumber"] = .null
    case .value(let number):
      fallback = number.value
      fingerprint["fallbackNumber"] = .string(number.value)
    }
    let write = LedgeredWrite(
      service: service, profile: credentials.profile, method: Self.name, target: areaCode,
      idempotencyKey: params.idempotencyKey?.value, fingerprint: StoredOutcome.fingerprint(Self.name, fingerprint))
    return try await write.run(
      FreeNumberPurchase(vapi: vapi, areaCode: areaCode, name: name, fallbackNumber: fallback))
  }
}
