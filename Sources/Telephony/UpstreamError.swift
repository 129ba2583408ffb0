/// A failed upstream call, classified so the service can map it to one stable error per condition.
///
/// Contains no URL, header or body; `upstreamMessage` and `reason` have passed through `Redactor`.
public struct UpstreamError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The class of failure. The mapping from HTTP status is pure; the service decides what a
  /// class means for a given method (e.g. whether a 400 is a duplicate import).
  public enum Kind: Sendable, Equatable {
    /// 401 or 403: the credentials were refused.
    case unauthorized
    /// 404.
    case notFound
    /// 409.
    case conflict
    /// 429 after the allowed retries, or with a `Retry-After` longer than the policy waits.
    case rateLimited(retryAfterMs: Int?)
    /// Nothing useful came back: network failure, timeout, or for reads 5xx / unparseable body
    /// after the allowed retries. Also: a mutation that provably never reached the server.
    case unavailable
    /// A mutation may or may not have been processed: the connection failed after the request
    /// may have been sent (timeout, reset, lost reply, 502/504, 2xx with an unreadable body).
    case outcomeUnknown
    /// Any other non-2xx (400, 402, 422, 5xx on a mutation, …), or a response that is valid but
    /// not acceptable (e.g. a suspended Twilio account).
    case rejected
  }

  /// Which upstream failed.
  public var provider: Provider
  /// The class of failure.
  public var kind: Kind
  /// The HTTP status, when a response arrived.
  public var status: Int?
  /// Twilio's numeric `code` as a decimal string ("20404"), or Vapi's `error` ("Bad Request").
  public var upstreamCode: String?
  /// The upstream's `message` (Vapi arrays joined with "; "), redacted. Nil for non-JSON bodies.
  public var upstreamMessage: String?
  /// A short technical reason for failures without a usable response ("timed out",
  /// "connection reset", …). Never a URL.
  public var reason: String?

  /// Creates an error.
  public init(
    provider: Provider, kind: Kind, status: Int? = nil, upstreamCode: String? = nil,
    upstreamMessage: String? = nil, reason: String? = nil
  ) {
    self.provider = provider
    self.kind = kind
    self.status = status
    self.upstreamCode = upstreamCode
    self.upstreamMessage = upstreamMessage
    self.reason = reason
  }

  /// `retryAfterMs` when the kind is `.rateLimited`, else nil.
  public var retryAfterMs: Int? {
    if case .rateLimited(let ms) = kind { return ms }
    return nil
  }

  /// One sentence in the seed's wording: "Vapi API error: 400 - property areaCode should not
  /// exist", "Twilio API error: 404 - The requested resource … was not found",
  /// "Vapi API error: timed out".
  public var summary: String {
    var text = "\(provider.displayName) API error: "
    let detail = upstreamMessage ?? reason ?? fallbackDetail
    switch (status, detail) {
    case (let s?, let d?): text += "\(s) - \(d)"
    case (let s?, nil): text += "\(s)"
    case (nil, let d?): text += d
    case (nil, nil): text += "request failed"
    }
    if kind == .outcomeUnknown {
      text += " (the request may have been processed)"
    }
    return text
  }

  /// Same as `summary`.
  public var description: String { summary }

  private var fallbackDetail: String? {
    switch kind {
    case .unauthorized: return "unauthorized"
    case .notFound: return "not found"
    case .conflict: return "conflict"
    case .rateLimited: return "rate limited"
    case .unavailable: return "unavailable"
    case .outcomeUnknown: return "no reply"
    case .rejected: return nil
    }
  }
}

extension UpstreamError {
  /// A 404 means "no such resource" only on a path that names one resource (`{id}`, `{Sid}`);
  /// on a collection path it means the endpoint is wrong (a bad base URL or region), so it is
  /// reported as a plain refusal instead of a missing number.
  func notFoundOnlyForOneResource(_ pathTemplate: String) -> UpstreamError {
    guard kind == .notFound, !pathTemplate.contains("{id}"), !pathTemplate.contains("{Sid}") else { return self }
    var error = self
    error.kind = .rejected
    return error
  }
}
