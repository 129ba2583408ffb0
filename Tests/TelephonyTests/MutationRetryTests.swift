import Foundation
import XCTest

@testable import Telephony

/// POST/PATCH/DELETE are never repeated once they may have reached the server.
final class MutationRetryTests: XCTestCase {
  private let create = VapiCreateBody.vapi(areaCode: "415", name: "Sales", fallbackNumber: nil)

  func testPostResetIsOutcomeUnknownAndSentOnce() async throws {
    let server = try TestHTTPServer { _, _ in .reset }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertNotNil(e?.reason)
    XCTAssertEqual(server.requestCount, 1)
  }

  func testPostLostReplyIsOutcomeUnknownAndSentOnce() async throws {
    let server = try TestHTTPServer { _, _ in .close }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(server.requestCount, 1)
  }

  func testPostTruncatedReplyIsOutcomeUnknownAndSentOnce() async throws {
    let server = try TestHTTPServer { _, _ in .truncated }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(server.requestCount, 1)
  }

  /// A write never travels on a reused keep-alive connection (libcurl used to re-send a request,
  /// POST included, when a reused connection closed without a reply): each has a fresh one.
  func testPostAfterKeepAliveGetTravelsOnAFreshConnectionAndIsSentOnce() async throws {
    let server = try TestHTTPServer { req, _ in
      req.method == "GET" ? .json(200, Fixture.vapiNumberJSON(id: "warm")) : .close
    }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    _ = try await client.getPhoneNumber(id: "warm")
    _ = try await client.getPhoneNumber(id: "warm")
    XCTAssertEqual(server.connectionCount, 1, "reads share a pooled connection")
    let start = ContinuousClock.now
    let e = await expectUpstreamError { try await client.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(e?.reason, "connection reset or lost")
    XCTAssertEqual(server.requests.filter { $0.method == "POST" }.count, 1)
    try await Task.sleep(for: .milliseconds(200))
    XCTAssertEqual(server.connectionCount, 2, "one fresh connection for the POST, and no other")
    XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
  }

  func testEachWriteHasAConnectionOfItsOwn() async throws {
    let server = try TestHTTPServer { req, _ in
      req.method == "GET" ? .json(200, Fixture.vapiNumberJSON(id: "r")) : .json(201, Fixture.vapiNumberJSON(id: "w"))
    }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    _ = try await client.getPhoneNumber(id: "r")
    _ = try await client.createPhoneNumber(create)
    _ = try await client.updatePhoneNumber(id: "w", VapiUpdateBody(name: .value("x")))
    _ = try await client.deletePhoneNumber(id: "w")
    _ = try await client.getPhoneNumber(id: "r")
    let byMethod = Dictionary(grouping: server.requests, by: \.method)
    let writeConnections = Set(server.requests.filter { $0.method != "GET" }.map(\.connection))
    XCTAssertEqual(writeConnections.count, 3, "POST, PATCH and DELETE each on a new connection")
    XCTAssertEqual(Set(byMethod["GET"]!.map(\.connection)).count, 1, "reads reuse theirs")
    XCTAssertTrue(writeConnections.isDisjoint(with: byMethod["GET"]!.map(\.connection)))
  }

  func testPostGarbage2xxIsOutcomeUnknownAndSentOnce() async throws {
    let server = try TestHTTPServer { _, _ in .respond(status: 201, headers: [:], body: Data("{\"id\":".utf8)) }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(e?.status, 201)
    XCTAssertEqual(e?.reason, "invalid response body")
    XCTAssertEqual(server.requestCount, 1)
  }

  /// A 500 proves nothing about a write (WriteOutcomeRule): the outcome is unknown, never retried.
  func testPost500IsOutcomeUnknownAndNotRetried() async throws {
    for status in [500, 503] {
      let server = try TestHTTPServer { _, _ in
        .json(status, #"{"message":"Internal server error","statusCode":\#(status)}"#)
      }
      defer { server.stop() }
      let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
      XCTAssertEqual(e?.kind, .outcomeUnknown)
      XCTAssertEqual(e?.status, status)
      XCTAssertEqual(
        e?.summary, "Vapi API error: \(status) - Internal server error (the request may have been processed)")
      XCTAssertEqual(server.requestCount, 1)
    }
  }

  /// A 4xx whose body is not the JSON error object is not a readable refusal: unknown.
  func testPost4xxWithAnUnreadableBodyIsOutcomeUnknown() async throws {
    let server = try TestHTTPServer { _, _ in .respond(status: 400, headers: [:], body: Data("<html>bad gateway".utf8))
    }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(server.requestCount, 1)
  }

  func testPost504IsOutcomeUnknown() async throws {
    let server = try TestHTTPServer { _, _ in .respond(status: 504, headers: [:], body: Data()) }
    defer { server.stop() }
    let e = await expectUpstreamError { try await Fixture.vapi(server).createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(e?.status, 504)
    XCTAssertEqual(server.requestCount, 1)
  }

  func testPost429IsRetriedThenSucceeds() async throws {
    let server = try TestHTTPServer { _, i in
      i == 0 ? .json(429, "{}", headers: ["Retry-After": "0"]) : .json(201, Fixture.vapiNumberJSON(id: "new"))
    }
    defer { server.stop() }
    let n = try await Fixture.vapi(server).createPhoneNumber(create)
    XCTAssertEqual(n.id, "new")
    let r = server.requests
    XCTAssertEqual(r.count, 2)
    XCTAssertEqual(r[0].body, r[1].body)
  }

  func testPostToRefusedPortIsRetriedAndUnavailable() async throws {
    let port = TestHTTPServer.closedPort()
    let events = Box<[HTTPEvent]>([])
    let transport = HTTPTransport(policy: Fixture.policy(maxRetries: 2), environment: [:]) { e in
      events.update { $0.append(e) }
    }
    let client = VapiClient(
      baseURL: URL(string: "http://127.0.0.1:\(port)")!, apiKey: Fixture.vapiKey, transport: transport)
    let e = await expectUpstreamError { try await client.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .unavailable, "nothing was sent: not an unknown outcome")
    XCTAssertEqual(e?.reason, "cannot connect")
    XCTAssertEqual(events.value.count, 3, "connection refused proves nothing was sent, so it is retried")
  }

  func testPostHangingPastDeadlineIsOutcomeUnknown() async throws {
    let server = try TestHTTPServer { _, _ in .hang }
    defer { server.stop() }
    let client = Fixture.vapi(server, policy: Fixture.policy(timeout: .milliseconds(300)))
    let e = await expectUpstreamError { try await client.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .outcomeUnknown)
    XCTAssertEqual(e?.reason, "timed out")
    XCTAssertEqual(server.requestCount, 1)
  }

  func testPatchAndDeleteResetAreOutcomeUnknownAndSentOnce() async throws {
    let server = try TestHTTPServer { _, _ in .reset }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    let e1 = await expectUpstreamError {
      try await client.updatePhoneNumber(id: "a", VapiUpdateBody(name: .value("x")))
    }
    let e2 = await expectUpstreamError { try await client.deletePhoneNumber(id: "a") }
    XCTAssertEqual(e1?.kind, .outcomeUnknown)
    XCTAssertEqual(e2?.kind, .outcomeUnknown)
    XCTAssertEqual(server.requests.map(\.method), ["PATCH", "DELETE"])
  }
}
