/// A Vapi phone number, as much of it as the service uses. Secrets the upstream may echo
/// (`twilioAuthToken`, `twilioApiSecret`, server credentials) are never decoded.
public struct VapiPhoneNumber: Sendable, Equatable, Hashable {
  /// The UUID.
  public var id: String
  /// `vapi`, `twilio`, `byo-phone-number`, `vonage` or `telnyx`.
  public var provider: String
  /// The E.164 number (may be missing, e.g. for SIP-only or still-activating Vapi numbers).
  public var number: String?
  /// The display name (≤ 40 characters upstream).
  public var name: String?
  /// `active`, `activating` or `blocked`.
  public var status: String?
  /// ISO-8601, verbatim as sent.
  public var createdAt: String
  /// ISO-8601, verbatim as sent.
  public var updatedAt: String?
  /// Twilio numbers: whether Vapi manages the messaging webhook.
  public var smsEnabled: Bool?
  /// The assistant answering calls.
  public var assistantId: String?
  /// Vapi SIP numbers: the SIP URI.
  public var sipUri: String?
  /// Vapi numbers: the requested area code.
  public var numberDesiredAreaCode: String?
  /// Where calls go when the assistant cannot take them.
  public var fallbackDestination: VapiFallbackDestination?

  /// Creates a value (tests, fakes).
  public init(
    id: String, provider: String, number: String? = nil, name: String? = nil, status: String? = nil,
    createdAt: String, updatedAt: String? = nil, smsEnabled: Bool? = nil, assistantId: String? = nil,
    sipUri: String? = nil, numberDesiredAreaCode: String? = nil, fallbackDestination: VapiFallbackDestination? = nil
  ) {
    self.id = id
    self.provider = provider
    self.number = number
    self.name = name
    self.status = status
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.smsEnabled = smsEnabled
    self.assistantId = assistantId
    self.sipUri = sipUri
    self.numberDesiredAreaCode = numberDesiredAreaCode
    self.fallbackDestination = fallbackDestination
  }
}

/// `fallbackDestination`: `{type: "number", number, extension?}` or `{type: "sip", sipUri}`.
public struct VapiFallbackDestination: Sendable, Equatable, Hashable {
  /// `number` or `sip`.
  public var type: String
  /// For `number`: E.164.
  public var number: String?
  /// For `sip`.
  public var sipUri: String?
  /// Digits dialled after connecting.
  public var `extension`: String?

  /// Creates a value.
  public init(type: String, number: String? = nil, sipUri: String? = nil, extension: String? = nil) {
    self.type = type
    self.number = number
    self.sipUri = sipUri
    self.extension = `extension`
  }
}

/// `GET /v2/phone-number` response: `{results, metadata}`.
struct VapiPhoneNumberPage: Sendable {
  var results: [VapiPhoneNumber]
  var metadata: Metadata?

  struct Metadata: Sendable {
    var totalItems: Int?
    var hasNextPage: Bool?
    var currentPage: Int?
    var totalPages: Int?

    init(totalItems: Int?, hasNextPage: Bool?, currentPage: Int?, totalPages: Int?) {
      self.totalItems = totalItems
      self.hasNextPage = hasNextPage
      self.currentPage = currentPage
      self.totalPages = totalPages
    }
  }
}
