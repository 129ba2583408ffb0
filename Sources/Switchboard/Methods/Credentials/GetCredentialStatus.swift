import JSONRPC

/// `getCredentialStatus`: which fields are set, with hints only.
enum GetCredentialStatus: ServiceMethod {
  typealias Params = ProfileParams
  typealias Result = CredentialStatus
  static let name = "getCredentialStatus"
  static let summary =
    "Tells which credentials a profile holds, with non-secret hints only; damaged fields are flagged `corrupt`."
  static let result = ContentDescriptor("CredentialStatus", .ref("CredentialStatus"), required: true)
  static let errors = Errors.descriptors(.vaultLocked, .vaultUnavailable, .vaultUnsafe)
  static let examples = [MethodExample("default profile", result: CredentialStatus.example)]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws
    -> CredentialStatus
  {
    CredentialStatus(try service.vault().readCredentials(profile: params.profile.orDefault.value))
  }
}
