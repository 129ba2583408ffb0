import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends upstream requests with timeouts, the retry policy and error mapping. Create one per
/// process and share it between `VapiClient` and `TwilioClient`; call `shutdown()` before exit.
///
/// Retry policy:
/// - GET: retried on 429, 408, 5xx, network failures and an unreadable 2xx body, up to
///   `maxRetries` times, with full-jitter exponential backoff or the delay the server asks for
///   (`retry-after-ms`, `Retry-After`); a requested delay above `maxRetryAfter` is not waited.
/// - POST/PATCH/DELETE: retried only on 429 and on failures proving nothing was sent (connection
///   refused, DNS failure). Whatever else comes back is judged by `WriteOutcomeRule`: once the
///   request may have reached the server, a failure is `.outcomeUnknown` and is never retried.
/// - Each attempt has a connect timeout (`connectTimeout`) and a hard deadline (`requestTimeout`)
///   from sending to the last byte of the body.
/// - Cancelling the calling task cancels the HTTP call at once (its connection is closed), makes
///   no further attempt and throws `CancellationError`.
///
/// HTTP runs on AsyncHTTPClient (SwiftNIO, BoringSSL), made on the first request; see
/// `UpstreamHTTPClients` for connections (a write always has one of its own), redirects (never
/// followed: a 3xx is judged like any other status), proxies and certificates, and
/// `RetryPolicy.classify` for how its errors map onto "nothing was sent" or "maybe sent".
public final class HTTPTransport: Sendable {
  /// The policy in force.
  public let policy: HTTPPolicy
  /// The largest response body read; a longer one fails the attempt ("response too large").
  static let maxBodyBytes = 64 << 20
  private let clients: UpstreamHTTPClients
  private let observer: (@Sendable (HTTPEvent) -> Void)?

  /// Creates the transport (no thread, no socket until the first request). `environment` holds the
  /// proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, either case) and
  /// `SSL_CERT_FILE`, as the executable read them; Telephony never reads the process environment. `observer` receives one `HTTPEvent` per attempt (no URL, header or body is
  /// ever in it) and must not block.
  public init(
    policy: HTTPPolicy = HTTPPolicy(), environment: [String: String] = [:],
    observer: (@Sendable (HTTPEvent) -> Void)? = nil
  ) {
    self.policy = policy
    self.observer = observer
    self.clients = UpstreamHTTPClients(policy: policy, environment: environment)
  }

  /// Closes the connections and stops the HTTP thread, if a request ever started them; waits for
  /// both. Call from a thread that is not running a request (e.g. the main thread at exit).
  /// Later requests fail with `.unavailable`.
  public func shutdown() {
    clients.shutdown()
  }

  /// Whether the HTTP client has been started (by a first request).
  public var started: Bool { clients.started }

  /// Sends `request` to `provider` and decodes a 2xx body with `decode` (a throw there counts as
  /// an unreadable body). Throws `UpstreamError` or `CancellationError`, nothing else.
  public func send<T: Sendable>(
    _ request: HTTPRequest, provider: Provider, redactor: Redactor, decode: (Data) throws -> T
  ) async throws -> T {
    var failures = 0
    while true {
      try Task.checkCancellation()
      let attempt = failures + 1
      let started = ContinuousClock.now
      var status: Int?
      let step: Step<T>
      do {
        let reply = try await perform(request)
        status = reply.status
        step = evaluate(reply: reply, method: request.method, provider: provider, redactor: redactor, decode: decode)
      } catch {
        if Task.isCancelled || error is CancellationError {
          emit(
            request, provider, status: nil, attempt: attempt, started: started, retryDelay: nil, failure: "cancelled")
          throw CancellationError()
        }
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
    reply: Reply, method: HTTPMethod, provider: Provider, redactor: Redactor, decode: (Data) throws -> T
  ) -> Step<T> {
    let status = reply.status
    if (200..<300).contains(status) {
      do {
        return .success(try reply.withBodyData(decode))
      } catch {
        let reason = RetryPolicy.badBodyReason
        if method.isRetriableRead {
          return .retry(
            UpstreamError(provider: provider, kind: .unavailable, status: status, reason: reason), requested: nil)
        }
        return .fail(UpstreamError(provider: provider, kind: .outcomeUnknown, status: status, reason: reason))
      }
    }
    let requested = RetryPolicy.requestedDelay(header: { reply.headers.first(name: $0) })
    let body = reply.withBodyData { UpstreamErrorBody.parse($0) }
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

  // MARK: - One attempt

  /// A complete reply: status, headers and the whole body (as received: no copy is made of it).
  private struct Reply: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer

    /// Runs `body` over the body's bytes viewed as `Data` without copying them; the view must
    /// not outlive the call (decoders copy what they keep).
    func withBodyData<R>(_ read: (Data) throws -> R) rethrows -> R {
      try body.withUnsafeReadableBytes { raw in
        guard let base = raw.baseAddress, raw.count > 0 else { return try read(Data()) }
        return try read(
          Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none))
      }
    }
  }

  /// Sends `request` once and reads the whole reply, within `policy.requestTimeout`. The body is
  /// collected on the event loop (`BodyCollector`): this task is resumed once, with the whole reply.
  private func perform(_ request: HTTPRequest) async throws -> Reply {
    let client = try clients.client(for: request.url, write: !request.method.isRetriableRead)
    var headers = HTTPHeaders()
    headers.reserveCapacity(request.headers.count)
    for (name, value) in request.headers {
      headers.add(name: name, value: value)
    }
    let outgoing = try HTTPClient.Request(
      url: request.url.absoluteString, method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue),
      headers: headers, body: request.body.map { .byteBuffer(ByteBuffer(bytes: $0)) })
    let limit = policy.requestTimeout
    return try await Self.within(limit) {
      let task = client.execute(
        request: outgoing, delegate: BodyCollector(maxBytes: Self.maxBodyBytes), deadline: .now() + TimeAmount(limit))
      let collected = try await withTaskCancellationHandler {
        try await task.futureResult.get()
      } onCancel: {
        task.cancel()
      }
      return Reply(status: collected.status, headers: collected.headers, body: collected.body)
    }
  }

  /// Runs `operation`, cancelling it and throwing `TransportTimeout` when `limit` passes first.
  /// (AsyncHTTPClient's own deadline covers only the wait for the response head.)
  static func within<R: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> R)
    async throws -> R
  {
    try await withThrowingTaskGroup(of: R.self) { group in
      group.addTask(operation: operation)
      group.addTask {
        try await Task.sleep(for: limit)
        throw TransportTimeout()
      }
      defer { group.cancelAll() }
      return try await group.next()!
    }
  }
}

/// The hard per-attempt deadline passed before the response was complete.
struct TransportTimeout: Error {
  let reason = "timed out"
}

extension RetryPolicy {
  /// The reason given when a 2xx body cannot be decoded.
  static let badBodyReason = "invalid response body"
}
