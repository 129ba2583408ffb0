import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends upstream requests with timeouts, the retry policy and error mapping. Create one per
/// process and share it between `VapiClient` and `TwilioClient`.
///
/// Retry policy:
/// - GET: retried on 429, 408, 5xx, network failures and an unreadable 2xx body, up to
///   `maxRetries` times, with full-jitter exponential backoff or the delay the server asks for
///   (`retry-after-ms`, `Retry-After`); a requested delay above `maxRetryAfter` is not waited.
/// - POST/PATCH/DELETE: retried only on 429 and on failures proving nothing was sent (connection
///   refused, DNS failure). Whatever else comes back is judged by `WriteOutcomeRule`: once the
///   request may have reached the server, a failure is `.outcomeUnknown` and is never retried.
/// - Cancelling the calling task cancels the transfer at once, makes no further attempt and
///   throws `CancellationError`.
///
/// Connections: reads share one pooled `URLSession`. Mutations go through a second session whose
/// requests carry `Connection: close`, so each uses a fresh connection: libcurl silently re-sends
/// a request (POST included) when a *reused* connection closes without a reply, which would turn
/// a lost reply into a duplicate purchase. Redirects are never followed (they would carry the
/// credentials to wherever `Location` points); a 3xx is returned as `.rejected`. See
/// `SessionDelegate` for the 401 `WWW-Authenticate: Basic` hang it works around.
public final class HTTPTransport: Sendable {
  /// The policy in force.
  public let policy: HTTPPolicy
  private let readSession: URLSession
  private let writeSession: URLSession
  private let observer: (@Sendable (HTTPEvent) -> Void)?

  /// Creates the sessions. `observer` receives one `HTTPEvent` per attempt (no URL, header or
  /// body is ever in it) and must not block.
  public init(policy: HTTPPolicy = HTTPPolicy(), observer: (@Sendable (HTTPEvent) -> Void)? = nil) {
    self.policy = policy
    self.observer = observer
    let total = Self.wholeSeconds(policy.requestTimeout)
    self.readSession = Self.makeSession(policy: policy, idleTimeout: min(Self.wholeSeconds(policy.connectTimeout), total))
    self.writeSession = Self.makeSession(policy: policy, idleTimeout: total)
  }

  deinit {
    readSession.finishTasksAndInvalidate()
    writeSession.finishTasksAndInvalidate()
  }

  /// Sends `request` to `provider` and decodes a 2xx body with `decode` (a throw there counts as
  /// an unreadable body). Throws `UpstreamError` or `CancellationError`, nothing else.
  public func send<T: Sendable>(
    _ request: HTTPRequest, provider: Provider, redactor: Redactor, decode: (Data) throws -> T
  ) async throws -> T {
    let urlRequest = makeURLRequest(request)
    let session = request.method.isRetriableRead ? readSession : writeSession
    var failures = 0
    while true {
      try Task.checkCancellation()
      let attempt = failures + 1
      let started = ContinuousClock.now
      var status: Int?
      let step: Step<T>
      do {
        let (data, response) = try await InFlightRequest.run(urlRequest, on: session, deadline: policy.requestTimeout)
        status = response.statusCode
        step = evaluate(response: response, data: data, method: request.method, provider: provider, redactor: redactor, decode: decode)
      } catch is CancellationError {
        emit(request, provider, status: nil, attempt: attempt, started: started, retryDelay: nil, failure: "cancelled")
        throw CancellationError()
      } catch {
        step = evaluate(failure: error, method: request.method, provider: provider)
      }
      let failure = step.error?.reason  // set only when there is no usable response

      switch step {
      case .success(let value):
        emit(request, provider, status: status, attempt: attempt, started: started, retryDelay: nil, failure: nil)
        return value
      case .fail(let error):
        emit(request, provider, status: status, attempt: attempt, started: started, retryDelay: nil, failure: failure)
        throw error
      case .retry(let error, let requested):
        let delay = requested ?? RetryPolicy.backoff(afterFailures: attempt, policy: policy)
        if failures >= policy.maxRetries || (requested.map { $0 > policy.maxRetryAfter } ?? false) {
          emit(request, provider, status: status, attempt: attempt, started: started, retryDelay: nil, failure: failure)
          throw error
        }
        emit(request, provider, status: status, attempt: attempt, started: started, retryDelay: delay, failure: failure)
        failures += 1
        if delay > .zero {
          try await Task.sleep(for: delay)
        }
      }
    }
  }

  // MARK: - Attempt evaluation

  private enum Step<T> {
    case success(T)
    case fail(UpstreamError)
    /// Retry allowed; `requested` is the server's delay, if it named one.
    case retry(UpstreamError, requested: Duration?)

    var error: UpstreamError? {
      switch self {
      case .success: return nil
      case .fail(let e), .retry(let e, _): return e
      }
    }
  }

  private func evaluate<T>(
    response: HTTPURLResponse, data: Data, method: HTTPMethod, provider: Provider, redactor: Redactor,
    decode: (Data) throws -> T
  ) -> Step<T> {
    let status = response.statusCode
    if (200..<300).contains(status) {
      do {
        return .success(try decode(data))
      } catch {
        let reason = RetryPolicy.badBodyReason
        if method.isRetriableRead {
          return .retry(UpstreamError(provider: provider, kind: .unavailable, status: status, reason: reason), requested: nil)
        }
        return .fail(UpstreamError(provider: provider, kind: .outcomeUnknown, status: status, reason: reason))
      }
    }
    let requested = RetryPolicy.requestedDelay(header: { response.value(forHTTPHeaderField: $0) })
    let body = UpstreamErrorBody.parse(data)
    let fields = body?.fields(for: provider, redactor: redactor)
    let error = UpstreamError(
      provider: provider,
      kind: RetryPolicy.kind(
        status: status, method: method, retryAfterMs: requested?.wholeMilliseconds, readableBody: body != nil),
      status: status, upstreamCode: fields?.code, upstreamMessage: fields?.message)
    if RetryPolicy.isRetriable(status: status, method: method) {
      return .retry(error, requested: requested)
    }
    return .fail(error)
  }

  private func evaluate<T>(failure: Error, method: HTTPMethod, provider: Provider) -> Step<T> {
    let classified = RetryPolicy.classify(failure)
    switch classified {
    case .notSent(let reason):
      return .retry(UpstreamError(provider: provider, kind: .unavailable, reason: reason), requested: nil)
    case .maybeSent(let reason):
      if method.isRetriableRead {
        return .retry(UpstreamError(provider: provider, kind: .unavailable, reason: reason), requested: nil)
      }
      return .fail(UpstreamError(provider: provider, kind: .outcomeUnknown, reason: reason))
    case .fatal(let reason, _):
      let unknown = !method.isRetriableRead && WriteOutcomeRule.verdict(failure: classified) == .unknown
      return .fail(UpstreamError(provider: provider, kind: unknown ? .outcomeUnknown : .unavailable, reason: reason))
    }
  }

  private func emit(
    _ request: HTTPRequest, _ provider: Provider, status: Int?, attempt: Int, started: ContinuousClock.Instant,
    retryDelay: Duration?, failure: String?
  ) {
    guard let observer else { return }
    observer(
      HTTPEvent(
        provider: provider, method: request.method.rawValue, pathTemplate: request.pathTemplate, status: status,
        attempt: attempt, duration: ContinuousClock.now - started, retryDelay: retryDelay, failure: failure))
  }

  // MARK: - URLSession setup

  private func makeURLRequest(_ request: HTTPRequest) -> URLRequest {
    var r = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData)
    r.httpMethod = request.method.rawValue
    r.httpShouldHandleCookies = false
    for (name, value) in request.headers {
      r.setValue(value, forHTTPHeaderField: name)
    }
    if !request.method.isRetriableRead {
      r.setValue("close", forHTTPHeaderField: "Connection")
    }
    r.httpBody = request.body
    return r
  }

  /// URLSession on Linux truncates timeouts to whole seconds (0.5 s becomes an immediate
  /// timeout), so round up and never go below one second; the hard deadline is enforced by
  /// `InFlightRequest`.
  private static func wholeSeconds(_ d: Duration) -> TimeInterval {
    max(1, d.seconds.rounded(.up))
  }

  private static func makeSession(policy: HTTPPolicy, idleTimeout: TimeInterval) -> URLSession {
    let config = URLSessionConfiguration.ephemeral
    config.httpShouldSetCookies = false
    config.httpCookieAcceptPolicy = .never
    config.httpCookieStorage = nil
    config.urlCredentialStorage = nil
    config.urlCache = nil
    config.requestCachePolicy = .reloadIgnoringLocalCacheData
    config.timeoutIntervalForRequest = idleTimeout
    config.timeoutIntervalForResource = max(idleTimeout, wholeSeconds(policy.requestTimeout))
    config.httpMaximumConnectionsPerHost = policy.httpMaximumConnectionsPerHost
    return URLSession(configuration: config, delegate: SessionDelegate(), delegateQueue: nil)
  }
}

extension RetryPolicy {
  /// The reason given when a 2xx body cannot be decoded.
  static let badBodyReason = "invalid response body"
}
