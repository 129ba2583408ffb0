import JSON
import JSONRPC
import Telephony

/// `getNumber`: one number of the Vapi account.
enum GetNumber: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var id: String

    enum CodingKeys: String, CodingKey { case profile, id }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      id = try c.decode(.id, as: NumberID.self)
    }
  }
  typealias Result = Number
  static let name = "getNumber"
  static let summary = "Returns one number of the Vapi account by id (for example to follow a new number from `activating` to `active`)."
  static let params = [ProfileParams.descriptor, ContentDescriptor("id", NumberID.schema, required: true)]
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited, .notFound,
    .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [MethodExample("by id", params: ["id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"], result: Number.example)]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let vapi = try service.vapiClient(try service.credentials(params.profile.orDefault))
    return Number(try await vapi.getPhoneNumber(id: params.id))
  }
}
