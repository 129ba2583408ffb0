import JSON
import JSONRPC
import Telephony

/// `deleteNumber`: releases a number from the Vapi account, after an explicit confirmation.
enum DeleteNumber: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var id: NumberID
    @Param(description: "The number in E.164, or the id, typed again.") var confirm: String
  }
  typealias Result = Number
  static let name = "deleteNumber"
  static let summary =
    "Releases a number from the Vapi account (irreversible): `confirm` must repeat the number (E.164) or its id; returns the released number."
  static let description: String? =
    "The number is read first; a `confirm` that matches neither its E.164 number nor its id is -32602 with `data.field` `/confirm`, and nothing is deleted. A free Vapi number released this way is gone for good; a Twilio number stays in the Twilio account."
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors =
    [
      ErrorDescriptor(
        code: RPCError.invalidParamsCode, message: "Invalid params: /confirm must repeat the number or its id.",
        data: ["field": "/confirm", "reason": "must repeat the number or its id"])
    ]
    + Errors.descriptors(
      .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
      .upstreamOutcomeUnknown, .notFound, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "release", params: ["id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "confirm": "+14155550100"],
      result: Number.example)
  ]

  static let extensions: JSONObject = ["x-destructive": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    let id = params.id.value
    let current = try await vapi.getPhoneNumber(id: id)
    guard params.confirm == current.id || (current.number != nil && params.confirm == current.number) else {
      throw RPCError.invalidParams(field: "/confirm", reason: "must repeat the number or its id")
    }
    let write = LedgeredWrite(
      service: service, profile: credentials.profile, method: name, target: current.number ?? id,
      idempotencyKey: nil, fingerprint: "")
    return try await write.run(NumberRelease(vapi: vapi, id: id))
  }
}
