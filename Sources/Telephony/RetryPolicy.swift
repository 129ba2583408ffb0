import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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
  /// Classifies a URLSession error (not cancellation, which is handled before).
  ///
  /// FoundationNetworking (libcurl) maps only a few curl errors to specific `URLError` codes:
  /// ECONNREFUSED → `.cannotConnectToHost`, unresolved host → `.cannotFindHost`, reset →
  /// `.networkConnectionLost`, empty reply → `.badServerResponse`, timeouts → `.timedOut`; every
  /// other curl error is `.unknown` with curl's text. Curl's own "Failed to connect"/"Could not
  /// resolve" texts are recognised as not-sent; anything unrecognised counts as maybe-sent.
  static func classify(_ error: Error) -> NetworkFailure {
    if let failure = error as? TransportTimeout {
      return .maybeSent(reason: failure.reason)
    }
    guard let urlError = error as? URLError else {
      return .maybeSent(reason: "network error")
    }
    switch urlError.code {
    case .cannotConnectToHost: return .notSent(reason: "cannot connect")
    case .cannotFindHost, .dnsLookupFailed: return .notSent(reason: "DNS lookup failed")
    case .notConnectedToInternet: return .notSent(reason: "not connected to a network")
    case .secureConnectionFailed: return .notSent(reason: "TLS handshake failed")
    case .timedOut: return .maybeSent(reason: "timed out")
    case .networkConnectionLost: return .maybeSent(reason: "connection reset or lost")
    case .badServerResponse, .zeroByteResource, .cannotParseResponse:
      return .maybeSent(reason: "no valid response")
    // libcurl reports a reply that is not HTTP at all (after the request was sent) as an
    // unsupported protocol, which Foundation maps to these codes.
    case .badURL, .unsupportedURL: return .fatal(reason: "invalid URL or non-HTTP reply", sent: true)
    case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
      .serverCertificateHasUnknownRoot, .clientCertificateRejected, .clientCertificateRequired:
      return .fatal(reason: "TLS certificate rejected", sent: false)
    case .httpTooManyRedirects, .redirectToNonExistentLocation: return .fatal(reason: "redirect refused", sent: true)
    default:
      let text = urlError.localizedDescription
      if text.hasPrefix("Failed to connect to") || text.contains("Couldn't connect to server")
        || text.contains("Could not connect to server")
      {
        return .notSent(reason: "cannot connect")
      }
      if text.hasPrefix("Could not resolve") || text.contains("Couldn't resolve host") {
        return .notSent(reason: "DNS lookup failed")
      }
      if text.contains("SSL certificate problem") || text.contains("certificate verify failed") {
        return .fatal(reason: "TLS certificate rejected", sent: false)
      }
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
  static func kind(status: Int, method: HTTPMethod, retryAfterMs: Int?, readableBody: Bool = true) -> UpstreamError.Kind {
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
