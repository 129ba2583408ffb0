import JSONRPC

/// `clearCredentials`: forgets every credential of a profile (the profile and its history stay).
enum ClearCredentials: ServiceMethod {
  typealias Params = ProfileParams
  typealias Result = CredentialStatus
  static let name = "clearCredentials"
  static let summary = "Removes all four credential fields of a profile; the profile and its operation history stay."
  static let result = ContentDescriptor("CredentialStatus", .ref("CredentialStatus"), required: true)
  static let errors = Errors.descriptors(.vaultLocked, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "clear", params: ["profile": "client-a"],
      result: [
        "profile": "client-a", "vapi": ["configured": false], "twilio": ["configured": false],
        "fields": [
          "vapiPrivateKey": ["set": false], "twilioAccountSid": ["set": false], "twilioAuthToken": ["set": false],
          "transferPhoneNumber": ["set": false],
        ],
      ])
  ]

  static func scheduling(for params: Params) -> Scheduling { .changesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws
    -> CredentialStatus
  {
    CredentialStatus(try service.vault().clearCredentials(profile: params.profile.orDefault.value))
  }
}
