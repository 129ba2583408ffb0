import JSON
import JSONRPC
import Vault

/// `credentials.missing`, with the seed's wording.
enum CredentialsMissing {
  static let twilioMessage =
    "Twilio credentials not configured. Please add your Twilio Account SID and Auth Token in API Configuration."
  static let vapiMessage = "Vapi API key not configured. Please add your Vapi Private API Key in API Configuration."

  static func twilio(missing: [CredentialField]) -> DomainError {
    DomainError(
      .credentialsMissing, twilioMessage,
      data: ["provider": "twilio", "missing": .array(missing.map { .string($0.rawValue) })])
  }

  static func vapi() -> DomainError {
    DomainError(.credentialsMissing, vapiMessage, data: ["provider": "vapi", "missing": ["vapiPrivateKey"]])
  }
}
