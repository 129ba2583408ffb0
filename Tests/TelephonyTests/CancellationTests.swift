import Foundation
import XCTest

@testable import Telephony

final class CancellationTests: XCTestCase {
  func testCancellingSlowGetStopsPromptlyAndMakesNoFurtherRequest() async throws {
    let server = try TestHTTPServer { _, _ in .hang }
    defer { server.stop() }
    let events = Box<[HTTPEvent]>([])
    let client = Fixture.vapi(server, policy: Fixture.policy(maxRetries: 3), events: events)
    let task = Task { try await client.getPhoneNumber(id: "slow") }
    try await waitUntil { server.requestCount == 1 }
    let cancelledAt = ContinuousClock.now
    task.cancel()
    do {
      _ = try await task.value
      XCTFail("expected CancellationError")
    } catch is CancellationError {
    } catch {
      XCTFail("expected CancellationError, got \(error)")
    }
    XCTAssertLessThan(ContinuousClock.now - cancelledAt, .milliseconds(500))
    // The transfer itself was aborted: the server sees the connection close.
    try await waitUntil { server.hangsEnded == 1 }
    try await Task.sleep(for: .milliseconds(300))
    XCTAssertEqual(server.requestCount, 1)
    XCTAssertEqual(events.value.map(\.failure), ["cancelled"])
  }

  func testCancellingSlowPostSurfacesCancellationError() async throws {
    let server = try TestHTTPServer { _, _ in .hang }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    let task = Task { try await client.createPhoneNumber(.vapi(areaCode: "415", name: nil, fallbackNumber: nil)) }
    try await waitUntil { server.requestCount == 1 }
    task.cancel()
    let result = await task.result
    XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    try await waitUntil { server.hangsEnded == 1 }
  }

  func testCancellingDuringBackoffStopsWithoutAnotherAttempt() async throws {
    let server = try TestHTTPServer { _, _ in .json(503, "{}", headers: ["Retry-After": "5"]) }
    defer { server.stop() }
    let client = Fixture.vapi(server, policy: Fixture.policy(maxRetries: 3, maxRetryAfter: .seconds(30)))
    let task = Task { try await client.getPhoneNumber(id: "x") }
    try await waitUntil { server.requestCount == 1 }
    try await Task.sleep(for: .milliseconds(100))
    let cancelledAt = ContinuousClock.now
    task.cancel()
    let result = await task.result
    XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    XCTAssertLessThan(ContinuousClock.now - cancelledAt, .milliseconds(500))
    XCTAssertEqual(server.requestCount, 1)
  }

  func testAlreadyCancelledTaskSendsNothing() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, Fixture.vapiNumberJSON(id: "a")) }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await client.getPhoneNumber(id: "a")
    }
    let result = await task.result
    XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    XCTAssertEqual(server.requestCount, 0)
  }

  func testCancellationBetweenPagesStopsTheWalk() async throws {
    let server = try TestHTTPServer { req, _ in
      let page = Int(req.query["page"] ?? "1") ?? 1
      let items = (0..<3).map { Fixture.vapiNumberJSON(id: "p\(page)-\($0)") }.joined(separator: ",")
      return .json(
        200,
        #"{"results":[\#(items)],"metadata":{"itemsPerPage":3,"totalItems":300,"currentPage":\#(page),"hasNextPage":true}}"#
      )
    }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    let task = Task {
      try await client.listPhoneNumbers { _, progress in
        if progress.page == 2 { withUnsafeCurrentTask { $0?.cancel() } }
      }
    }
    let result = await task.result
    XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    // Page 3 may have been requested while page 2 was parsed (one page ahead), before the cancel;
    // nothing after it.
    try await Task.sleep(for: .milliseconds(200))
    XCTAssertLessThanOrEqual(server.requestCount, 3)
    XCTAssertEqual(Set(server.requests.compactMap { $0.query["page"] }).subtracting(["1", "2", "3"]), [])
  }
}

/// Polls `condition` every 10 ms for up to `timeout`.
func waitUntil(
  timeout: Duration = .seconds(5), file: StaticString = #filePath, line: UInt = #line, _ condition: () -> Bool
) async throws {
  let deadline = ContinuousClock.now + timeout
  while !condition() {
    if ContinuousClock.now > deadline {
      XCTFail("condition not met in time", file: file, line: line)
      return
    }
    try await Task.sleep(for: .milliseconds(10))
  }
}
