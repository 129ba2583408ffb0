import JSON
import JSONRPC
import Telephony

/// `getNumber`: one number of the Vapi account, by id or by its E.164 number.
enum GetNumber: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var id: String?
    var number: String?

    enum CodingKeys: String, CodingKey { case profile, id, number }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      id = try c.decodeIfPresent(.id, as: NumberID.self)
      number = try c.decodeIfPresent(.number, as: E164Number.self)
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
  static let params = [
    ProfileParams.descriptor, ContentDescriptor("id", NumberID.schema),
    ContentDescriptor("number", E164Number.schema("The number in E.164, e.g. +14155550100: looked up exactly.")),
  ]
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
    if let e164 = params.number {
      guard let found = try await vapi.findPhoneNumber(e164: e164) else {
        throw DomainError(
          .notFound, "Vapi has no phone number with exactly this E.164 number.",
          data: ["provider": "vapi", "resource": "phoneNumber"])
      }
      return Number(found)
    }
    return Number(try await vapi.getPhoneNumber(id: params.id ?? ""))
  }
}
