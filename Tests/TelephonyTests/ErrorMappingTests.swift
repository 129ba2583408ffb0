import Foundation
import XCTest

@testable import Telephony

final class ErrorMappingTests: XCTestCase {
  func testVapi401IsUnauthorizedAndNotRetried() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(
        401,
        #"{"message":"Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.","error":"Unauthorized","statusCode":401}"#,
        headers: ["WWW-Authenticate": "Bearer"])
    }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).checkCredentials() }
    XCTAssertEqual(e?.kind, .unauthorized)
    XCTAssertEqual(e?.status, 401)
    XCTAssertEqual(e?.upstreamCode, "Unauthorized")
    XCTAssertEqual(e?.upstreamMessage?.hasPrefix("Invalid Key."), true)
    XCTAssertEqual(server.requestCount, 1)
    XCTAssertEqual(server.requests.first?.target, "/phone-number?limit=1")
  }

  func testTwilio401WithBasicChallengeIsUnauthorized() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(
        401,
        #"{"code":20003,"detail":"Your AccountSid or AuthToken was incorrect.","message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#,
        headers: ["WWW-Authenticate": #"Basic realm="Twilio API""#])
    }
    defer { server.stop() }
    let start = ContinuousClock.now
    let e = await expectUpstreamError { try await Fixture.twilio(server).checkCredentials() }
    XCTAssertEqual(e?.kind, .unauthorized)
    XCTAssertEqual(e?.status, 401)
    // A Basic challenge is an ordinary reply (URLSession used to hang on it and lose the body).
    XCTAssertEqual(e?.upstreamCode, "20003")
    XCTAssertEqual(e?.summary, "Twilio API error: 401 - Authenticate")
    XCTAssertEqual(server.requestCount, 1)
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(2), "must not hang until the deadline")
  }

  func testTwilio404MessageHasAccountSidRedacted() async throws {
    let path = "/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers/\(Fixture.numberSid).json"
    let server = try TestHTTPServer { _, _ in
      .json(
        404,
        #"{"code":20404,"message":"The requested resource \#(path) was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}"#
      )
    }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.twilio(server).fetchIncomingPhoneNumber(sid: Fixture.numberSid)
    }
    XCTAssertEqual(e?.kind, .notFound)
    XCTAssertEqual(e?.status, 404)
    XCTAssertEqual(e?.upstreamCode, "20404")
    let message = try XCTUnwrap(e?.upstreamMessage)
    XCTAssertFalse(message.contains(Fixture.accountSid))
    XCTAssertTrue(message.contains("/Accounts/AC…beef/"), message)
    XCTAssertEqual(e?.summary, "Twilio API error: 404 - " + message)
    XCTAssertFalse(String(describing: e!).contains(Fixture.accountSid))
    XCTAssertEqual(server.requests.first?.path, path)
  }

  func testVapi409IsConflict() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(409, #"{"message":"Number already exists","error":"Conflict","statusCode":409}"#)
    }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server).createPhoneNumber(.vapi(areaCode: "415", name: nil, fallbackNumber: nil))
    }
    XCTAssertEqual(e?.kind, .conflict)
    XCTAssertEqual(e?.upstreamMessage, "Number already exists")
    XCTAssertEqual(server.requestCount, 1)
  }

  func testVapi400StringMessage() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(400, #"{"message":"property areaCode should not exist","error":"Bad Request","statusCode":400}"#)
    }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server).createPhoneNumber(.vapi(areaCode: "415", name: nil, fallbackNumber: nil))
    }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertEqual(e?.status, 400)
    XCTAssertEqual(e?.upstreamCode, "Bad Request")
    XCTAssertEqual(e?.summary, "Vapi API error: 400 - property areaCode should not exist")
  }

  func testVapi400ArrayMessageIsJoined() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(
        400,
        #"{"message":["property areaCode should not exist","numberDesiredAreaCode must be longer than or equal to 3 characters"],"error":"Bad Request","statusCode":400}"#
      )
    }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).getPhoneNumber(id: "x") }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertEqual(
      e?.upstreamMessage,
      "property areaCode should not exist; numberDesiredAreaCode must be longer than or equal to 3 characters")
    XCTAssertEqual(server.requestCount, 1, "a 400 is not retried, even on GET")
  }

  func testVapiEchoedKeyIsRedacted() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(400, #"{"message":"bad key \#(Fixture.vapiKey)","error":"Bad Request","statusCode":400}"#)
    }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).getPhoneNumber(id: "x") }
    XCTAssertEqual(e?.upstreamMessage, "bad key [redacted]")
  }

  func testGet429RetriedHonouringRetryAfterThenSucceeds() async throws {
    let server = try TestHTTPServer { req, i in
      i == 0
        ? .json(429, #"{"message":"Too Many Requests","statusCode":429}"#, headers: ["Retry-After": "1"])
        : .json(200, Fixture.vapiNumberJSON(id: "n1"))
    }
    defer { server.stop() }
    let n = try await Fixture.vapi(server).getPhoneNumber(id: "n1")
    XCTAssertEqual(n.id, "n1")
    let r = server.requests
    XCTAssertEqual(r.count, 2)
    let gap = r[1].receivedAt - r[0].receivedAt
    XCTAssertGreaterThanOrEqual(gap, .milliseconds(950), "Retry-After: 1 must be waited")
  }

  func testGet429ExhaustedIsRateLimitedWithRetryAfterMs() async throws {
    let server = try TestHTTPServer { _, _ in .json(429, "{}", headers: ["retry-after-ms": "20"]) }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server, policy: Fixture.policy(maxRetries: 2)).getPhoneNumber(id: "a")
    }
    XCTAssertEqual(e?.kind, .rateLimited(retryAfterMs: 20))
    XCTAssertEqual(e?.retryAfterMs, 20)
    XCTAssertEqual(e?.status, 429)
    XCTAssertEqual(server.requestCount, 3)
  }

  func testRetryAfterBeyondMaximumIsNotWaited() async throws {
    let server = try TestHTTPServer { _, _ in .json(429, "{}", headers: ["Retry-After": "120"]) }
    defer { server.stop() }
    let start = ContinuousClock.now
    let e = await expectUpstreamError { try await Fixture.vapi(server).getPhoneNumber(id: "a") }
    XCTAssertEqual(e?.kind, .rateLimited(retryAfterMs: 120_000))
    XCTAssertEqual(server.requestCount, 1)
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
  }

  func testGet500RetriedThenSucceeds() async throws {
    let server = try TestHTTPServer { _, i in
      i < 2
        ? .json(500, #"{"message":"Internal server error","statusCode":500}"#)
        : .json(200, Fixture.vapiNumberJSON(id: "ok"))
    }
    defer { server.stop() }
    let events = Box<[HTTPEvent]>([])
    let n = try await Fixture.vapi(server, events: events).getPhoneNumber(id: "ok")
    XCTAssertEqual(n.id, "ok")
    XCTAssertEqual(server.requestCount, 3)
    let e = events.value
    XCTAssertEqual(e.map(\.attempt), [1, 2, 3])
    XCTAssertEqual(e.map(\.status), [500, 500, 200])
    XCTAssertEqual(e.map(\.pathTemplate), Array(repeating: "/phone-number/{id}", count: 3))
    XCTAssertNotNil(e[0].retryDelay)
    XCTAssertNil(e[2].retryDelay)
  }

  func testGet500ExhaustedIsUnavailable() async throws {
    let server = try TestHTTPServer { _, _ in .json(503, #"{"message":"down","statusCode":503}"#) }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server, policy: Fixture.policy(maxRetries: 3)).getPhoneNumber(id: "a")
    }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.status, 503)
    XCTAssertEqual(server.requestCount, 4)
  }

  func testGetGarbageBodyRetriedThenSucceeds() async throws {
    let server = try TestHTTPServer { _, i in
      i == 0
        ? .respond(status: 200, headers: [:], body: Data("<html>oops".utf8))
        : .json(200, Fixture.vapiNumberJSON(id: "g"))
    }
    defer { server.stop() }
    let n = try await Fixture.vapi(server).getPhoneNumber(id: "g")
    XCTAssertEqual(n.id, "g")
    XCTAssertEqual(server.requestCount, 2)
  }

  func testGetGarbageBodyExhaustedIsUnavailableWithoutMessage() async throws {
    let server = try TestHTTPServer { _, _ in .respond(status: 200, headers: [:], body: Data("not json".utf8)) }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server, policy: Fixture.policy(maxRetries: 1)).getPhoneNumber(id: "a")
    }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "invalid response body")
    XCTAssertNil(e?.upstreamMessage)
    XCTAssertEqual(server.requestCount, 2)
  }

  func testNonJSONErrorBodyHasNoMessage() async throws {
    let server = try TestHTTPServer { _, _ in .respond(status: 400, headers: [:], body: Data("<html>bad</html>".utf8)) }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).getPhoneNumber(id: "a") }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertNil(e?.upstreamMessage)
    XCTAssertEqual(e?.summary, "Vapi API error: 400")
  }

  func testGetResetRetriedThenSucceeds() async throws {
    let server = try TestHTTPServer { _, i in i == 0 ? .reset : .json(200, Fixture.vapiNumberJSON(id: "r")) }
    defer { server.stop() }
    let n = try await Fixture.vapi(server).getPhoneNumber(id: "r")
    XCTAssertEqual(n.id, "r")
    XCTAssertEqual(server.requestCount, 2)
  }

  func testGetResetExhaustedIsUnavailableWithReason() async throws {
    let server = try TestHTTPServer { _, _ in .reset }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.vapi(server, policy: Fixture.policy(maxRetries: 1)).getPhoneNumber(id: "a")
    }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertNotNil(e?.reason)
    XCTAssertNil(e?.status)
    XCTAssertEqual(server.requestCount, 2)
    XCTAssertFalse(e!.summary.contains("127.0.0.1"), e!.summary)
  }

  func testRedirectIsNotFollowed() async throws {
    let server = try TestHTTPServer { _, _ in
      .respond(status: 302, headers: ["Location": "http://127.0.0.1:1/steal"], body: Data())
    }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).getPhoneNumber(id: "a") }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertEqual(e?.status, 302)
    XCTAssertEqual(server.requestCount, 1)
  }

  func testConnectionRefusedIsUnavailableCannotConnect() async throws {
    let port = TestHTTPServer.closedPort()
    let events = Box<[HTTPEvent]>([])
    let transport = HTTPTransport(policy: Fixture.policy(maxRetries: 2), environment: [:]) { e in
      events.update { $0.append(e) }
    }
    let client = VapiClient(
      baseURL: URL(string: "http://127.0.0.1:\(port)")!, apiKey: Fixture.vapiKey, transport: transport)
    let e = await expectUpstreamError { try await client.getPhoneNumber(id: "a") }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "cannot connect")
    XCTAssertEqual(events.value.count, 3)
    XCTAssertEqual(events.value.first?.failure, "cannot connect")
  }

  func testHardDeadlineOnHangingGet() async throws {
    let server = try TestHTTPServer { _, _ in .hang }
    defer { server.stop() }
    let start = ContinuousClock.now
    let e = await expectUpstreamError {
      try await Fixture.vapi(server, policy: Fixture.policy(maxRetries: 0, timeout: .milliseconds(200))).getPhoneNumber(
        id: "a")
    }
    let elapsed = ContinuousClock.now - start
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "timed out")
    XCTAssertLessThan(elapsed, .milliseconds(850), "sub-second deadline enforced by the transport")
    XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(190))
  }
}
