/// A number owned on Twilio (`IncomingPhoneNumber`), as much of it as the service uses.
public struct TwilioIncomingNumber: Codable, Sendable, Equatable, Hashable {
  /// `PN` + 32 hex.
  public var sid: String
  /// E.164 (`phone_number`).
  public var phoneNumber: String
  /// `friendly_name` (empty when Twilio sends none).
  public var friendlyName: String
  /// What the number can do.
  public var capabilities: TwilioCapabilities

  private enum CodingKeys: String, CodingKey {
    case sid
    case phoneNumber = "phone_number"
    case friendlyName = "friendly_name"
    case capabilities
  }

  /// Creates a value (tests, fakes).
  public init(sid: String, phoneNumber: String, friendlyName: String, capabilities: TwilioCapabilities) {
    self.sid = sid
    self.phoneNumber = phoneNumber
    self.friendlyName = friendlyName
    self.capabilities = capabilities
  }

  /// Decodes Twilio's snake_case fields; a missing or null `capabilities` means none.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    sid = try c.decode(String.self, forKey: .sid)
    phoneNumber = try c.decode(String.self, forKey: .phoneNumber)
    friendlyName = try c.decodeIfPresent(String.self, forKey: .friendlyName) ?? ""
    capabilities = try c.decodeIfPresent(TwilioCapabilities.self, forKey: .capabilities) ?? TwilioCapabilities()
  }
}

/// `capabilities`: lowercase boolean keys; a missing key is false.
public struct TwilioCapabilities: Codable, Sendable, Equatable, Hashable {
  /// Voice calls.
  public var voice: Bool
  /// SMS.
  public var sms: Bool
  /// MMS.
  public var mms: Bool
  /// Fax.
  public var fax: Bool

  private enum CodingKeys: String, CodingKey { case voice, sms, mms, fax }

  /// Creates a value; everything defaults to false.
  public init(voice: Bool = false, sms: Bool = false, mms: Bool = false, fax: Bool = false) {
    self.voice = voice
    self.sms = sms
    self.mms = mms
    self.fax = fax
  }

  /// Decodes; missing or non-boolean keys are false.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    voice = (try? c.decode(Bool.self, forKey: .voice)) ?? false
    sms = (try? c.decode(Bool.self, forKey: .sms)) ?? false
    mms = (try? c.decode(Bool.self, forKey: .mms)) ?? false
    fax = (try? c.decode(Bool.self, forKey: .fax)) ?? false
  }
}

/// A Twilio account (`GET /2010-04-01/Accounts/{sid}.json`); `auth_token` is never decoded.
public struct TwilioAccount: Codable, Sendable, Equatable {
  /// `AC` + 32 hex.
  public var sid: String
  /// `active`, `suspended` or `closed`.
  public var status: String
  /// `Trial` or `Full`.
  public var type: String?
  /// The account's display name.
  public var friendlyName: String?

  private enum CodingKeys: String, CodingKey {
    case sid, status, type
    case friendlyName = "friendly_name"
  }

  /// Creates a value.
  public init(sid: String, status: String, type: String? = nil, friendlyName: String? = nil) {
    self.sid = sid
    self.status = status
    self.type = type
    self.friendlyName = friendlyName
  }
}

/// One page of `IncomingPhoneNumbers.json`.
struct TwilioIncomingNumberPage: Decodable, Sendable {
  var numbers: [TwilioIncomingNumber]
  var nextPageURI: String?

  private enum CodingKeys: String, CodingKey {
    case numbers = "incoming_phone_numbers"
    case nextPageURI = "next_page_uri"
  }
}
