import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import XCTest

@testable import Telephony

final class RedactorTests: XCTestCase {
  func testMasksConfiguredSecretsAndSIDs() {
    let r = Redactor(vapiKey: Fixture.vapiKey, accountSid: Fixture.accountSid, authToken: Fixture.authToken)
    XCTAssertEqual(r.redact("key \(Fixture.vapiKey)!"), "key [redacted]!")
    XCTAssertEqual(r.redact("/Accounts/\(Fixture.accountSid)/x"), "/Accounts/AC…beef/x")
    XCTAssertEqual(
      r.redact(
        "/Accounts/\(Fixture.accountSid.lowercased().replacingOccurrences(of: "ac", with: "AC", options: .anchored))/"),
      "/Accounts/AC…beef/")
    XCTAssertEqual(r.redact("token=\(Fixture.authToken)"), "token=[redacted]")
    let basic = Data("\(Fixture.accountSid):\(Fixture.authToken)".utf8).base64EncodedString()
    XCTAssertEqual(r.redact("echo \(basic)"), "echo [redacted]")
  }

  func testMasksUnknownSIDsButNotLongerWords() {
    let other = "AC" + String(repeating: "1", count: 28) + "9999"
    let key = "SK" + String(repeating: "a", count: 28) + "0001"
    XCTAssertEqual(Redactor.none.redact("sub \(other) and \(key)."), "sub AC…9999 and SK…0001.")
    XCTAssertEqual(Redactor.none.redact("x\(other)"), "x\(other)")
    XCTAssertEqual(Redactor.none.redact("no secrets here"), "no secrets here")
  }

  func testMasksEveryEncodingAndSliceOfASecret() {
    let secrets = [Fixture.vapiKey, Fixture.authToken, Fixture.accountSid]
    let r = Redactor(vapiKey: Fixture.vapiKey, accountSid: Fixture.accountSid, authToken: Fixture.authToken)
    for secret in secrets {
      let bytes = Array(secret.utf8)
      var forms = [
        secret, secret.uppercased(), secret.lowercased(),
        secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
        bytes.map { String(format: "%02x", $0) }.joined(), bytes.map { String(format: "%02X", $0) }.joined(),
      ]
      // base64 of the secret at each alignment inside a longer stream, standard and URL-safe.
      for prefix in ["", "a", "ab"] {
        let b64 = Data((prefix + secret + "!").utf8).base64EncodedString()
        forms.append(b64)
        forms.append(b64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_"))
      }
      for start in stride(from: 0, through: bytes.count - Redactor.sliceLength, by: 5) {
        forms.append(String(decoding: bytes[start..<(start + Redactor.sliceLength)], as: UTF8.self))
      }
      for form in forms {
        let out = r.redact("Vapi said: bad value \(form) (retry)")
        XCTAssertFalse(out.contains(form), "\(form) survived: \(out)")
        XCTAssertTrue(out.hasPrefix("Vapi said: bad value "), out)
        XCTAssertTrue(out.hasSuffix(" (retry)"), out)
        for slice in stride(from: 0, through: bytes.count - Redactor.sliceLength, by: 1) {
          let piece = String(decoding: bytes[slice..<(slice + Redactor.sliceLength)], as: UTF8.self)
          XCTAssertFalse(out.lowercased().contains(piece.lowercased()), "a 12-character slice survived: \(out)")
        }
      }
    }
    // Ordinary text and 11-character overlaps stay as they are.
    let short = String(Fixture.vapiKey.prefix(Redactor.sliceLength - 1))
    XCTAssertEqual(r.redact("area code 415, name Sales \(short)"), "area code 415, name Sales \(short)")
  }

  func testShortSecretsIgnored() {
    XCTAssertEqual(Redactor(secrets: ["a", ""]).redact("a banana"), "a banana")
  }
}

final class RetryPolicyTests: XCTestCase {
  func testRequestedDelayForms() {
    func delay(_ headers: [String: String], now: Date = Date()) -> Duration? {
      RetryPolicy.requestedDelay(
        header: { name in headers.first { $0.key.lowercased() == name.lowercased() }?.value }, now: now)
    }
    XCTAssertEqual(delay(["Retry-After": "3"]), .seconds(3))
    XCTAssertEqual(delay(["Retry-After": "0"]), .zero)
    XCTAssertEqual(delay(["retry-after-ms": "1500", "Retry-After": "9"]), .milliseconds(1500))
    XCTAssertNil(delay([:]))
    XCTAssertNil(delay(["Retry-After": "soon"]))
    let now = Date(timeIntervalSince1970: 784_111_767)  // Sun, 06 Nov 1994 08:49:27 GMT
    XCTAssertEqual(delay(["Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"], now: now), .seconds(10))
    XCTAssertEqual(delay(["Retry-After": "Sun, 06 Nov 1994 08:49:17 GMT"], now: now), .zero)
  }

  func testBackoffIsBoundedFullJitter() {
    let policy = HTTPPolicy(backoffBase: .milliseconds(100), backoffCap: .milliseconds(300))
    for failures in 1...8 {
      let ceiling: Duration =
        failures == 1 ? .milliseconds(100) : failures == 2 ? .milliseconds(200) : .milliseconds(300)
      for _ in 0..<50 {
        let d = RetryPolicy.backoff(afterFailures: failures, policy: policy)
        XCTAssertGreaterThanOrEqual(d, .zero)
        XCTAssertLessThanOrEqual(d, ceiling)
      }
    }
  }

  func testStatusMapping() {
    XCTAssertEqual(RetryPolicy.kind(status: 401, method: .get, retryAfterMs: nil), .unauthorized)
    XCTAssertEqual(RetryPolicy.kind(status: 403, method: .post, retryAfterMs: nil), .unauthorized)
    XCTAssertEqual(RetryPolicy.kind(status: 404, method: .delete, retryAfterMs: nil), .notFound)
    XCTAssertEqual(RetryPolicy.kind(status: 409, method: .post, retryAfterMs: nil), .conflict)
    XCTAssertEqual(RetryPolicy.kind(status: 429, method: .post, retryAfterMs: 5), .rateLimited(retryAfterMs: 5))
    XCTAssertEqual(RetryPolicy.kind(status: 500, method: .get, retryAfterMs: nil), .unavailable)
    // Writes follow WriteOutcomeRule: any 5xx, a 408 and an unreadable 4xx prove nothing.
    for status in [500, 502, 503, 504, 408, 302] {
      XCTAssertEqual(RetryPolicy.kind(status: status, method: .post, retryAfterMs: nil), .outcomeUnknown, "\(status)")
    }
    XCTAssertEqual(RetryPolicy.kind(status: 503, method: .patch, retryAfterMs: nil), .outcomeUnknown)
    XCTAssertEqual(
      RetryPolicy.kind(status: 400, method: .post, retryAfterMs: nil, readableBody: false), .outcomeUnknown)
    XCTAssertEqual(RetryPolicy.kind(status: 400, method: .post, retryAfterMs: nil, readableBody: true), .rejected)
    XCTAssertEqual(
      RetryPolicy.kind(status: 429, method: .post, retryAfterMs: nil, readableBody: false),
      .rateLimited(retryAfterMs: nil))
    XCTAssertEqual(RetryPolicy.kind(status: 408, method: .get, retryAfterMs: nil), .unavailable)
    XCTAssertEqual(RetryPolicy.kind(status: 400, method: .get, retryAfterMs: nil), .rejected)
    XCTAssertTrue(RetryPolicy.isRetriable(status: 429, method: .post))
    XCTAssertFalse(RetryPolicy.isRetriable(status: 500, method: .post))
    XCTAssertTrue(RetryPolicy.isRetriable(status: 500, method: .get))
    XCTAssertFalse(RetryPolicy.isRetriable(status: 404, method: .get))
  }

  func testErrorBodiesAreReadLeniently() {
    func body(_ json: String) -> UpstreamErrorBody? { UpstreamErrorBody.parse(Data(json.utf8)) }
    let vapi = body(#"{"message":["a",3,"b"],"error":"Bad Request","statusCode":400}"#)
    XCTAssertEqual(vapi?.message, "a; b")
    XCTAssertEqual(vapi?.error, "Bad Request")
    let twilio = body(#"{"code":20404.0,"message":"gone","more_info":"x","status":404}"#)
    XCTAssertEqual(twilio?.code, "20404")
    XCTAssertEqual(body(#"{"code":"E1","title":"t","message":{"odd":true}}"#)?.code, "E1")
    XCTAssertEqual(body(#"{"code":"E1","title":"t","message":{"odd":true}}"#)?.detail, "t")
    XCTAssertNil(body(#"{"code":"E1","title":"t","message":{"odd":true}}"#)?.message)
    XCTAssertNil(body("<html>502</html>"))
    XCTAssertNil(body(#"{"message":"#))
  }

  func testWriteOutcomeRuleTable() {
    typealias R = WriteOutcomeRule
    XCTAssertEqual(R.verdict(status: 201, readableBody: true), .succeeded)
    XCTAssertEqual(R.verdict(status: 200, readableBody: false), .unknown)
    XCTAssertEqual(R.verdict(status: 400, readableBody: true), .refused)
    XCTAssertEqual(R.verdict(status: 401, readableBody: true), .refused)
    XCTAssertEqual(R.verdict(status: 422, readableBody: false), .unknown)
    XCTAssertEqual(R.verdict(status: 429, readableBody: false), .refused)
    for status in [100, 301, 408, 500, 502, 503, 504, 599] {
      XCTAssertEqual(R.verdict(status: status, readableBody: true), .unknown, "\(status)")
    }
    XCTAssertEqual(R.verdict(failure: .notSent(reason: "cannot connect")), .refused)
    XCTAssertEqual(R.verdict(failure: .maybeSent(reason: "timed out")), .unknown)
    XCTAssertEqual(R.verdict(failure: .fatal(reason: "non-HTTP reply", sent: true)), .unknown)
    XCTAssertEqual(R.verdict(failure: .fatal(reason: "TLS certificate rejected", sent: false)), .refused)
  }

  /// AsyncHTTPClient/NIO errors onto "provably not sent" / "maybe sent" / fatal. The same
  /// failures are produced for real against a socket in NetworkFailureTests.
  func testNetworkFailureClassification() {
    typealias F = NetworkFailure
    func c(_ e: Error) -> F { RetryPolicy.classify(e) }
    // Before any connection exists: nothing was sent.
    XCTAssertEqual(c(IOError(errnoCode: ECONNREFUSED, reason: "connect")), .notSent(reason: "cannot connect"))
    XCTAssertEqual(c(IOError(errnoCode: EHOSTUNREACH, reason: "connect")), .notSent(reason: "cannot connect"))
    XCTAssertEqual(
      c(RoutingFailure(reason: "unusable proxy setting")), .fatal(reason: "unusable proxy setting", sent: false))
    XCTAssertEqual(
      c(HTTPClientError.proxyAuthenticationRequired), .fatal(reason: "proxy authentication required", sent: false))
    XCTAssertEqual(c(HTTPClientError.invalidProxyResponse), .fatal(reason: "proxy refused the connection", sent: false))
    XCTAssertEqual(c(HTTPClientError.invalidURL), .fatal(reason: "invalid URL", sent: false))
    XCTAssertEqual(c(HTTPClientError.unsupportedScheme("ftp")), .fatal(reason: "invalid URL", sent: false))
    XCTAssertEqual(c(HTTPClientError.alreadyShutdown), .fatal(reason: "shut down", sent: false))
    // Every timeout counts as maybe sent, as the documented rule says.
    for timeout: Error in [
      TransportTimeout(), HTTPClientError.connectTimeout, HTTPClientError.deadlineExceeded, HTTPClientError.readTimeout,
      HTTPClientError.tlsHandshakeTimeout, HTTPClientError.httpProxyHandshakeTimeout,
      ChannelError.connectTimeout(.seconds(1)),
      IOError(errnoCode: ETIMEDOUT, reason: "read"),
    ] {
      XCTAssertEqual(c(timeout), .maybeSent(reason: "timed out"), "\(timeout)")
    }
    // After the request may have left.
    for lost: Error in [
      HTTPClientError.remoteConnectionClosed, IOError(errnoCode: ECONNRESET, reason: "read"),
      IOError(errnoCode: EPIPE, reason: "write"), ChannelError.eof, ChannelError.ioOnClosedChannel,
      NIOSSLError.uncleanShutdown, HTTPParserError.invalidEOFState,
    ] {
      XCTAssertEqual(c(lost), .maybeSent(reason: "connection reset or lost"), "\(lost)")
    }
    XCTAssertEqual(c(HTTPParserError.invalidConstant), .fatal(reason: "non-HTTP reply", sent: true))
    XCTAssertEqual(c(HTTPParserError.invalidVersion), .fatal(reason: "non-HTTP reply", sent: true))
    XCTAssertEqual(c(NIOTooManyBytesError(maxBytes: 10)), .fatal(reason: "response too large", sent: true))
    XCTAssertEqual(c(HTTPClientError.cancelled), .maybeSent(reason: "network error"))
    XCTAssertEqual(c(CocoaError(.fileNoSuchFile)), .maybeSent(reason: "network error"))
    // And what that means for a write.
    XCTAssertEqual(WriteOutcomeRule.verdict(failure: c(IOError(errnoCode: ECONNREFUSED, reason: "connect"))), .refused)
    XCTAssertEqual(WriteOutcomeRule.verdict(failure: c(HTTPClientError.remoteConnectionClosed)), .unknown)
    XCTAssertEqual(WriteOutcomeRule.verdict(failure: c(HTTPClientError.connectTimeout)), .unknown)
    XCTAssertEqual(WriteOutcomeRule.verdict(failure: c(HTTPParserError.invalidConstant)), .unknown)
  }
}

final class PolicyAndErrorTests: XCTestCase {
  func testDefaults() {
    let p = HTTPPolicy()
    XCTAssertEqual(p.connectTimeout, .seconds(10))
    XCTAssertEqual(p.requestTimeout, .seconds(30))
    XCTAssertEqual(p.maxRetries, 3)
    XCTAssertEqual(p.backoffBase, .milliseconds(250))
    XCTAssertEqual(p.backoffCap, .seconds(8))
    XCTAssertEqual(p.maxRetryAfter, .seconds(30))
    XCTAssertEqual(p.httpMaximumConnectionsPerHost, 32)
  }

  func testSummaries() {
    XCTAssertEqual(
      UpstreamError(
        provider: .vapi, kind: .rejected, status: 400, upstreamMessage: "property areaCode should not exist"
      ).summary,
      "Vapi API error: 400 - property areaCode should not exist")
    XCTAssertEqual(
      UpstreamError(provider: .vapi, kind: .unavailable, reason: "timed out").summary, "Vapi API error: timed out")
    XCTAssertEqual(
      UpstreamError(provider: .twilio, kind: .outcomeUnknown, reason: "connection reset or lost").summary,
      "Twilio API error: connection reset or lost (the request may have been processed)")
    XCTAssertEqual(
      UpstreamError(provider: .vapi, kind: .rateLimited(retryAfterMs: nil), status: 429).summary,
      "Vapi API error: 429 - rate limited")
  }
}
