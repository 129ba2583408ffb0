/// The upstream service a request went to.
public enum Provider: String, Sendable, Hashable, CaseIterable {
  /// Vapi (`api.vapi.ai`): the phone numbers the service manages.
  case vapi
  /// Twilio (`api.twilio.com`): the numbers owned there, imported into Vapi.
  case twilio

  /// The human name used in messages ("Vapi", "Twilio").
  public var displayName: String {
    switch self {
    case .vapi: return "Vapi"
    case .twilio: return "Twilio"
    }
  }
}
