import JSON
import JSONRPC
import Telephony

/// `getNumber`: one number of the Vapi account, by id or by its E.164 number.
enum GetNumber: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var id: NumberID?
    @Param(description: "The number in E.164, e.g. +14155550100: looked up exactly.") var number: E164Number?

    func validate() throws {
      if id == nil, number == nil { throw ParamsError(pointer: "/id", reason: "required") }
      if id != nil, number != nil { throw ParamsError(pointer: "", reason: "give exactly one of id or number") }
    }
  }
  typealias Result = Number
  static let name = "getNumber"
  static let summary =
    "Returns one number of the Vapi account by id, or by its E.164 number (for example to follow a new number from `activating` to `active`)."
  static let description: String? =
    "Exactly one of `id` and `number`. By id: `GET /phone-number/{id}`. By number: Vapi has no exact number filter, so Switchboard searches `GET /v2/phone-number?search=<digits>` (a partial match on name, number and SIP URI, so near matches come back too) and keeps only the number equal to `number`; none is `notFound` (`data.resource` `phoneNumber`)."
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited, .notFound,
    .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample("by id", params: ["id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"], result: Number.example),
    MethodExample("by number", params: ["number": "+14155550100"], result: Number.example),
  ]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let vapi = try service.vapiClient(try service.credentials(params.profile.orDefault))
    if let e164 = params.number?.value {
      guard let found = try await vapi.findPhoneNumber(e164: e164) else {
        throw DomainError(
          .notFound, "Vapi has no phone number with exactly this E.164 number.",
          data: ["provider": "vapi", "resource": "phoneNumber"])
      }
      return Number(found)
    }
    return Number(try await vapi.getPhoneNumber(id: params.id?.value ?? ""))
  }
}
