import Vault

/// The `setCredentials` rule for one field's value, for front ends that check each answer as it
/// is typed (the command line's prompts) before sending them all in one `setCredentials`.
public enum CredentialInput {
  /// Why `value` is not acceptable for the field named `field`, or nil (also nil for an unknown
  /// field name). Never includes the value.
  public static func problem(field: String, value: String) -> String? {
    guard let field = CredentialField(rawValue: field) else { return nil }
    return SetCredentials.problem(field, value)
  }
}
