/// A number owned on Twilio (`IncomingPhoneNumber`), as much of it as the service uses.
public struct TwilioIncomingNumber: Sendable, Equatable, Hashable {
  /// `PN` + 32 hex.
  public var sid: String
  /// E.164 (`phone_number`).
  public var phoneNumber: String
  /// `friendly_name` (empty when Twilio sends none).
  public var friendlyName: String
  /// What the number can do.
  public var capabilities: TwilioCapabilities

  /// Creates a value (tests, fakes).
  public init(sid: String, phoneNumber: String, friendlyName: String, capabilities: TwilioCapabilities) {
    self.sid = sid
    self.phoneNumber = phoneNumber
    self.friendlyName = friendlyName
    self.capabilities = capabilities
  }
}

/// `capabilities`: lowercase boolean keys; a missing key is false.
public struct TwilioCapabilities: Sendable, Equatable, Hashable {
  /// Voice calls.
  public var voice: Bool
  /// SMS.
  public var sms: Bool
  /// MMS.
  public var mms: Bool
  /// Fax.
  public var fax: Bool

  /// Creates a value; everything defaults to false.
  public init(voice: Bool = false, sms: Bool = false, mms: Bool = false, fax: Bool = false) {
    self.voice = voice
    self.sms = sms
    self.mms = mms
    self.fax = fax
  }
}

/// A Twilio account (`GET /2010-04-01/Accounts/{sid}.json`); `auth_token` is never decoded.
public struct TwilioAccount: Sendable, Equatable {
  /// `AC` + 32 hex.
  public var sid: String
  /// `active`, `suspended` or `closed`.
  public var status: String
  /// `Trial` or `Full`.
  public var type: String?
  /// The account's display name.
  public var friendlyName: String?

  /// Creates a value.
  public init(sid: String, status: String, type: String? = nil, friendlyName: String? = nil) {
    self.sid = sid
    self.status = status
    self.type = type
    self.friendlyName = friendlyName
  }
}

/// One page of `IncomingPhoneNumbers.json`.
struct TwilioIncomingNumberPage: Sendable {
  var numbers: [TwilioIncomingNumber]
  var nextPageURI: String?
}
