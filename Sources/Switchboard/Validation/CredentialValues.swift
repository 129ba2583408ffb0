import JSONRPC

/// A Vapi private API key: non-empty, at most 512 bytes, no whitespace or control characters.
struct VapiPrivateKey: ParamRule {
  static let reason = "must be a non-empty key without whitespace"
  static let schema = JSONSchema.string(
    description: "Vapi private API key.", minLength: 1, maxLength: 512, writeOnly: true)

  let value: String

  static func isValid(_ value: String) -> Bool { Formats.isVapiKey(value) }
}

/// A Twilio Account SID: `AC` + 32 hex digits.
struct TwilioAccountSID: ParamRule {
  static let reason = "must be AC followed by 32 hex digits"
  static let schema = JSONSchema.string(
    description: "Twilio Account SID.", pattern: "^AC[0-9a-fA-F]{32}$", writeOnly: true)

  let value: String

  static func isValid(_ value: String) -> Bool { Formats.isAccountSid(value) }
}

/// A Twilio Auth Token: 32 hex digits.
struct TwilioAuthToken: ParamRule {
  static let reason = "must be 32 hex digits"
  static let schema = JSONSchema.string(
    description: "Twilio Auth Token.", pattern: "^[0-9a-fA-F]{32}$", writeOnly: true)

  let value: String

  static func isValid(_ value: String) -> Bool { Formats.isAuthToken(value) }
}
