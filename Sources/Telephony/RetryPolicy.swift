import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// How a failure without a usable HTTP response relates to the request having reached the server.
enum NetworkFailure: Equatable, Sendable {
  /// Provably nothing was sent (connection refused, DNS failure, …): safe to retry any method.
  case notSent(reason: String)
  /// The request may have been sent (timeout, reset, lost reply): only reads are retried.
  case maybeSent(reason: String)
  /// A problem no retry fixes (bad URL, TLS certificate rejected, a non-HTTP reply). `sent` is
  /// false only when the request provably never left (the TLS handshake failed before it).
  case fatal(reason: String, sent: Bool)

  var reason: String {
    switch self {
    case .notSent(let r), .maybeSent(let r), .fatal(let r, _): return r
    }
  }
}

/// The pure parts of the retry policy: classification, status mapping, delays.
enum RetryPolicy {
  /// Classifies an error of one attempt that has no usable reply (cancellation is handled before).
  ///
  /// Only failures that happen before the connection exists prove that nothing was sent:
  /// AsyncHTTPClient writes a request only on an established connection (after the TLS handshake
  /// and any proxy `CONNECT`), and it never re-sends one. So:
  /// - `NIOConnectionError` (DNS failure, connection refused or unreachable, for the server or the
  ///   proxy) → not sent; a TLS handshake failure → not sent, or fatal when the certificate is
  ///   rejected; a proxy that refuses the tunnel → fatal, not sent.
  /// - every timeout (connect, TLS, deadline), a reset or closed connection, a truncated body →
  ///   maybe sent; a reply that is not HTTP or too large → fatal, sent.
  /// - anything unrecognised → maybe sent.
  static func classify(_ error: Error) -> NetworkFailure {
    switch error {
    case let timeout as TransportTimeout:
      return .maybeSent(reason: timeout.reason)
    case let routing as RoutingFailure:
      return .fatal(reason: routing.reason, sent: false)
    case let connect as NIOConnectionError:
      if connect.connectionErrors.isEmpty, connect.dnsAError != nil || connect.dnsAAAAError != nil {
        return .notSent(reason: "DNS lookup failed")
      }
      return .notSent(reason: "cannot connect")
    case let client as HTTPClientError:
      return classify(client)
    case let io as IOError:
      switch io.errnoCode {
      case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH: return .notSent(reason: "cannot connect")
      case ECONNRESET, EPIPE, ECONNABORTED: return .maybeSent(reason: "connection reset or lost")
      case ETIMEDOUT: return .maybeSent(reason: "timed out")
      default: return .maybeSent(reason: "network error")
      }
    case let channel as ChannelError:
      switch channel {
      case .connectTimeout: return .maybeSent(reason: "timed out")
      case .ioOnClosedChannel, .eof, .outputClosed, .inputClosed, .alreadyClosed:
        return .maybeSent(reason: "connection reset or lost")
      default: return .maybeSent(reason: "network error")
      }
    case let tls as NIOSSLError:
      switch tls {
      case .handshakeFailed(let cause):
        return String(describing: cause).contains("CERTIFICATE_VERIFY_FAILED")
          ? .fatal(reason: "TLS certificate rejected", sent: false) : .notSent(reason: "TLS handshake failed")
      case .uncleanShutdown: return .maybeSent(reason: "connection reset or lost")
      default: return .maybeSent(reason: "network error")
      }
    case is NIOSSLExtraError:  // e.g. the certificate does not name the host
      return .fatal(reason: "TLS certificate rejected", sent: false)
    case let parser as HTTPParserError:
      switch parser {
      case .invalidEOFState, .closedConnection: return .maybeSent(reason: "connection reset or lost")
      default: return .fatal(reason: "non-HTTP reply", sent: true)
      }
    case is NIOTooManyBytesError:
      return .fatal(reason: "response too large", sent: true)
    default:
      return .maybeSent(reason: "network error")
    }
  }

  private static func classify(_ error: HTTPClientError) -> NetworkFailure {
    switch error {
    case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout,
      .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
      return .maybeSent(reason: "timed out")
    case .remoteConnectionClosed, .uncleanShutdown:
      return .maybeSent(reason: "connection reset or lost")
    case .proxyAuthenticationRequired:
      return .fatal(reason: "proxy authentication required", sent: false)
    case .invalidProxyResponse:
      return .fatal(reason: "proxy refused the connection", sent: false)
    case .invalidURL, .emptyHost, .emptyScheme:
      return .fatal(reason: "invalid URL", sent: false)
    case .alreadyShutdown:
      return .fatal(reason: "shut down", sent: false)
    default:
      if error.description.contains("unsupportedScheme") { return .fatal(reason: "invalid URL", sent: false) }
      return .maybeSent(reason: "network error")
    }
  }

  /// Whether a non-2xx status may be retried for `method`.
  static func isRetriable(status: Int, method: HTTPMethod) -> Bool {
    if status == 429 { return true }  // not processed: safe for every method
    return method.isRetriableRead && (status == 408 || (500...599).contains(status))
  }

  /// The error class of a final non-2xx status. Pure status mapping: the service decides what a
  /// class means for its method. For writes, `WriteOutcomeRule` decides first whether the reply
  /// proves anything at all (`readableBody`).
  static func kind(status: Int, method: HTTPMethod, retryAfterMs: Int?, readableBody: Bool = true) -> UpstreamError.Kind
  {
    if !method.isRetriableRead, WriteOutcomeRule.verdict(status: status, readableBody: readableBody) == .unknown {
      return .outcomeUnknown
    }
    switch status {
    case 401, 403: return .unauthorized
    case 404: return .notFound
    case 409: return .conflict
    case 429: return .rateLimited(retryAfterMs: retryAfterMs)
    case 408 where method.isRetriableRead: return .unavailable
    case 500...599: return .unavailable
    default: return .rejected
    }
  }

  /// Backoff before attempt `failures + 1`: full jitter over `min(cap, base * 2^(failures-1))`.
  static func backoff(afterFailures failures: Int, policy: HTTPPolicy) -> Duration {
    let base = policy.backoffBase.seconds
    let cap = policy.backoffCap.seconds
    let exponent = Double(min(max(failures - 1, 0), 30))
    let ceiling = min(cap, base * pow(2, exponent))
    guard ceiling > 0 else { return .zero }
    return .milliseconds(Int((Double.random(in: 0...ceiling) * 1000).rounded()))
  }

  /// The delay a response asks for: `retry-after-ms` (milliseconds), else `Retry-After`
  /// (delta-seconds or an HTTP-date). Nil when absent or unreadable; never negative.
  static func requestedDelay(header: (String) -> String?, now: Date = Date()) -> Duration? {
    if let raw = header("retry-after-ms")?.trimmingCharacters(in: .whitespaces), let ms = Double(raw),
      ms.isFinite
    {
      return .milliseconds(Int(max(0, ms).rounded(.up)))
    }
    guard let raw = header("Retry-After")?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
      return nil
    }
    if let seconds = Double(raw), seconds.isFinite {
      return .milliseconds(Int((max(0, seconds) * 1000).rounded(.up)))
    }
    if let date = parseHTTPDate(raw) {
      return .milliseconds(Int((max(0, date.timeIntervalSince(now)) * 1000).rounded(.up)))
    }
    return nil
  }

  /// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), or the obsolete RFC 850 and
  /// asctime forms.
  static func parseHTTPDate(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
      formatter.dateFormat = format
      if let date = formatter.date(from: text) { return date }
    }
    return nil
  }
}
