import JSON
import JSONRPC
import Vault

/// `setCredentials`: write-only credential entry; absent keeps a field, `null` clears it.
enum SetCredentials: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var vapiPrivateKey: Nullable<VapiPrivateKey>
    @Param var twilioAccountSid: Nullable<TwilioAccountSID>
    @Param var twilioAuthToken: Nullable<TwilioAuthToken>
    @Param(description: "Default fallback (transfer) number, E.164.") var transferPhoneNumber: Nullable<E164Number>

    /// The fields to change: a `nil` value clears the field; a field not listed is kept.
    var changes: [CredentialField: String?] {
      let updates: [(CredentialField, Nullable<String>)] = [
        (.vapiPrivateKey, vapiPrivateKey.map(\.value)), (.twilioAccountSid, twilioAccountSid.map(\.value)),
        (.twilioAuthToken, twilioAuthToken.map(\.value)), (.transferPhoneNumber, transferPhoneNumber.map(\.value)),
      ]
      var changes: [CredentialField: String?] = [:]
      for (field, update) in updates {
        switch update {
        case .absent: continue
        case .null: changes[field] = .some(nil)
        case .value(let value): changes[field] = value
        }
      }
      return changes
    }
  }

  /// Why `value` is not acceptable for `field`, or nil. Never includes the value.
  static func problem(_ field: CredentialField, _ value: String) -> String? {
    func check<Rule: ParamRule>(_ rule: Rule.Type) -> String? { Rule.isValid(value) ? nil : Rule.reason }
    return switch field {
    case .vapiPrivateKey: check(VapiPrivateKey.self)
    case .twilioAccountSid: check(TwilioAccountSID.self)
    case .twilioAuthToken: check(TwilioAuthToken.self)
    case .transferPhoneNumber: check(E164Number.self)
    }
  }

  typealias Result = CredentialStatus
  static let name = "setCredentials"
  static let summary = "Stores credentials for a profile (write-only): an absent field is kept, null clears it."
  static let description: String? =
    "Values are validated, sealed with AES-256-GCM and never returned by any method. The result is the profile's credential status (hints only)."
  static let result = ContentDescriptor("CredentialStatus", .ref("CredentialStatus"), required: true)
  static let errors = Errors.descriptors(.vaultLocked, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "set Vapi and Twilio",
      params: [
        "vapiPrivateKey": "00000000-1111-2222-3333-444444449f3a",
        "twilioAccountSid": "AC0123456789abcdef0123456789ab42ab",
        "twilioAuthToken": "0123456789abcdef0123456789abcdef",
      ], result: CredentialStatus.example),
    MethodExample(
      "clear the transfer number", params: ["profile": "client-a", "transferPhoneNumber": nil],
      result: [
        "profile": "client-a", "vapi": ["configured": false], "twilio": ["configured": false],
        "fields": [
          "vapiPrivateKey": ["set": false], "twilioAccountSid": ["set": false], "twilioAuthToken": ["set": false],
          "transferPhoneNumber": ["set": false],
        ],
      ]),
  ]

  static func scheduling(for params: Params) -> Scheduling { .changesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws
    -> CredentialStatus
  {
    let stored = try service.vault().updateCredentials(profile: params.profile.orDefault.value, changes: params.changes)
    return CredentialStatus(stored)
  }
}
