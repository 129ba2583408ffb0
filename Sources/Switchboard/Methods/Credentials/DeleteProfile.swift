import JSON
import JSONRPC

/// `deleteProfile`: removes a profile with its credentials, history and idempotency records.
enum DeleteProfile: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName
  }
  struct Result: Encodable, Sendable {
    var profile: String
    var deleted: Bool
  }
  static let name = "deleteProfile"
  static let summary =
    "Deletes a profile: its credentials, operation history and idempotency records. `deleted` is false when there was nothing to delete."
  static let result = ContentDescriptor(
    "Deleted", .object([("profile", .string()), ("deleted", .boolean())], required: ["profile", "deleted"]),
    required: true)
  static let errors = Errors.descriptors(.vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample("delete", params: ["profile": "client-a"], result: ["profile": "client-a", "deleted": true])
  ]

  static func scheduling(for params: Params) -> Scheduling { .changesCredentials(of: params.profile) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    Result(profile: params.profile.value, deleted: try service.vault().deleteProfile(params.profile.value))
  }
}
