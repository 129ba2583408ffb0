/// What happened on one attempt of one upstream call: safe to log (no URL, header, body, id or
/// secret is ever in it).
public struct HTTPEvent: Sendable, Equatable {
  /// Which upstream.
  public var provider: Provider
  /// `GET`, `POST`, …
  public var method: String
  /// The path template, e.g. `/phone-number/{id}`.
  public var pathTemplate: String
  /// The HTTP status, or nil when no response arrived.
  public var status: Int?
  /// 1 for the first attempt.
  public var attempt: Int
  /// Time from sending to completion of this attempt.
  public var duration: Duration
  /// Set when another attempt follows after this delay.
  public var retryDelay: Duration?
  /// A short technical reason when the attempt failed without a usable response
  /// ("timed out", "connection reset", "invalid response body", "cancelled", …).
  public var failure: String?

  /// Creates an event.
  public init(
    provider: Provider, method: String, pathTemplate: String, status: Int?, attempt: Int,
    duration: Duration, retryDelay: Duration?, failure: String?
  ) {
    self.provider = provider
    self.method = method
    self.pathTemplate = pathTemplate
    self.status = status
    self.attempt = attempt
    self.duration = duration
    self.retryDelay = retryDelay
    self.failure = failure
  }
}
