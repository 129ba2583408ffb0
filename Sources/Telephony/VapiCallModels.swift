/// A Vapi call, only the members usage needs (api-facts §1.12.4). Everything but `id` and
/// `createdAt` is optional, and odd values (a string cost, an unknown type) read as absent.
public struct VapiCall: Sendable, Equatable {
  /// The call id.
  public var id: String
  /// `inboundPhoneCall`, `outboundPhoneCall`, `webCall`, … kept as an open string.
  public var type: String?
  /// `ended`, `in-progress`, … kept as an open string.
  public var status: String?
  /// ISO-8601, verbatim.
  public var createdAt: String
  /// ISO-8601, verbatim.
  public var updatedAt: String?
  /// When the call connected.
  public var startedAt: String?
  /// When the call ended.
  public var endedAt: String?
  /// Total cost in USD.
  public var cost: Double?
  /// The saved phone number the call used.
  public var phoneNumberId: String?

  /// Creates a value (tests).
  public init(
    id: String, type: String? = nil, status: String? = nil, createdAt: String, updatedAt: String? = nil,
    startedAt: String? = nil, endedAt: String? = nil, cost: Double? = nil, phoneNumberId: String? = nil
  ) {
    self.id = id
    self.type = type
    self.status = status
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.startedAt = startedAt
    self.endedAt = endedAt
    self.cost = cost
    self.phoneNumberId = phoneNumberId
  }
}

/// `GET /call`: a bare array of calls. Elements without a usable `id` or `createdAt` (or that are
/// not objects at all) are counted in `skipped`, never fatal: real call lists break strict decoders.
public struct VapiCallPage: Sendable, Equatable {
  /// The readable calls.
  public var calls: [VapiCall]
  /// Elements that could not be used.
  public var skipped: Int
  /// Elements in the array (readable or not): compare with the `limit` asked for.
  public var received: Int { calls.count + skipped }

  /// Creates a value.
  public init(calls: [VapiCall], skipped: Int) {
    self.calls = calls
    self.skipped = skipped
  }
}
