import Foundation

/// Timeouts, retry budget and connection limits for every upstream call. `connectTimeout` bounds
/// establishing a connection (TCP, proxy tunnel); `requestTimeout` is a hard deadline on each
/// attempt, from sending to the last byte of the body.
public struct HTTPPolicy: Sendable, Equatable {
  /// Bound on establishing a connection. Default 10 s.
  public var connectTimeout: Duration
  /// Hard limit on one attempt, from sending to the last byte of the body. Default 30 s.
  public var requestTimeout: Duration
  /// Further attempts after the first, when a retry is allowed. Default 3.
  public var maxRetries: Int
  /// First backoff step; step n is `min(backoffCap, backoffBase * 2^(n-1))`, full jitter. Default 250 ms.
  public var backoffBase: Duration
  /// Largest backoff between attempts. Default 8 s.
  public var backoffCap: Duration
  /// A `Retry-After` longer than this is not waited for: the error is returned at once. Default 30 s.
  public var maxRetryAfter: Duration
  /// Connections kept per upstream host. Default 32.
  public var httpMaximumConnectionsPerHost: Int

  /// Creates a policy; every argument has the documented default.
  public init(
    connectTimeout: Duration = .seconds(10),
    requestTimeout: Duration = .seconds(30),
    maxRetries: Int = 3,
    backoffBase: Duration = .milliseconds(250),
    backoffCap: Duration = .seconds(8),
    maxRetryAfter: Duration = .seconds(30),
    httpMaximumConnectionsPerHost: Int = 32
  ) {
    self.connectTimeout = connectTimeout
    self.requestTimeout = requestTimeout
    self.maxRetries = max(0, maxRetries)
    self.backoffBase = backoffBase
    self.backoffCap = backoffCap
    self.maxRetryAfter = maxRetryAfter
    self.httpMaximumConnectionsPerHost = max(1, httpMaximumConnectionsPerHost)
  }
}

extension Duration {
  /// The duration in (fractional) seconds.
  var seconds: Double {
    let (s, atto) = components
    return Double(s) + Double(atto) / 1e18
  }

  /// The duration in whole milliseconds, rounded up.
  var wholeMilliseconds: Int {
    Int((seconds * 1000).rounded(.up))
  }
}
