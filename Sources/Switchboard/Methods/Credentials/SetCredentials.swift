import JSON
import JSONRPC
import Vault

/// `setCredentials`: write-only credential entry; absent keeps a field, `null` clears it.
enum SetCredentials: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var changes: [CredentialField: String?] = [:]

    private struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(_ s: String) { stringValue = s }
      init?(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      profile = try container.decodeIfPresent(ProfileName.self, forKey: Key("profile"))
      for field in CredentialField.allCases {
        let key = Key(field.rawValue)
        guard container.contains(key) else { continue }
        if try container.decodeNil(forKey: key) {
          changes[field] = .some(nil)
          continue
        }
        let value = try container.decode(String.self, forKey: key)
        if let reason = SetCredentials.problem(field, value) {
          throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
        }
        changes[field] = value
      }
    }
  }

  /// Why `value` is not acceptable for `field`, or nil. Never includes the value.
  static func problem(_ field: CredentialField, _ value: String) -> String? {
    switch field {
    case .vapiPrivateKey: Formats.isVapiKey(value) ? nil : "must be a non-empty key without whitespace"
    case .twilioAccountSid: Formats.isAccountSid(value) ? nil : "must be AC followed by 32 hex digits"
    case .twilioAuthToken: Formats.isAuthToken(value) ? nil : "must be 32 hex digits"
    case .transferPhoneNumber: E164Number.isValid(value) ? nil : E164Number.reason
    }
  }

  typealias Result = CredentialStatus
  static let name = "setCredentials"
  static let summary = "Stores credentials for a profile (write-only): an absent field is kept, null clears it."
  static let description: String? =
    "Values are validated, sealed with AES-256-GCM and never returned by any method. The result is the profile's credential status (hints only)."
  static let params = [
    ProfileParams.descriptor,
    ContentDescriptor(
      "vapiPrivateKey",
      .nullable(.string(description: "Vapi private API key.", minLength: 1, maxLength: 512, writeOnly: true))),
    ContentDescriptor(
      "twilioAccountSid",
      .nullable(.string(description: "Twilio Account SID.", pattern: "^AC[0-9a-fA-F]{32}$", writeOnly: true))),
    ContentDescriptor(
      "twilioAuthToken",
      .nullable(.string(description: "Twilio Auth Token.", pattern: "^[0-9a-fA-F]{32}$", writeOnly: true))),
    ContentDescriptor(
      "transferPhoneNumber",
      .nullable(E164Number.schema("Default fallback (transfer) number, E.164."))),
  ]
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
