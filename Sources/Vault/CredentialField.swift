/// One secret (or private setting) a profile can store. The raw value is the
/// JSON parameter name used by `setCredentials` and the `field` column value.
///
/// Fields sort in declaration order (Vapi first, then Twilio, then transfer number).
public enum CredentialField: String, CaseIterable, Sendable, Codable, Comparable {
  /// Vapi private API key.
  case vapiPrivateKey
  /// Twilio Account SID (`AC` + 32 hex).
  case twilioAccountSid
  /// Twilio Auth Token.
  case twilioAuthToken
  /// E.164 number calls are transferred to (used as the default fallback destination).
  case transferPhoneNumber

  /// Position in ``allCases``.
  var order: Int { Self.allCases.firstIndex(of: self)! }

  /// Declaration order.
  public static func < (lhs: CredentialField, rhs: CredentialField) -> Bool {
    lhs.order < rhs.order
  }
}
