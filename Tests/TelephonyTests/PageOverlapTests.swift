import Foundation
import XCTest

@testable import Telephony

/// Listings request page n + 1 while page n is parsed and handed to the walk, one page ahead at
/// most, with cancellation, errors and progress as before.
final class PageOverlapTests: XCTestCase {
  private static let listPath = "/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers.json"

  private static func twilioNumber(_ i: Int) -> String {
    let sid = "PN" + String(format: "%032x", i)
    return
      #"{"sid":"\#(sid)","phone_number":"+1415\#(String(format: "%07d", i))","friendly_name":"n\#(i)","capabilities":{"voice":true,"sms":false,"mms":false,"fax":false}}"#
  }

  /// A Twilio account of `pages` pages of `perPage` numbers; `action` may replace a page's reply.
  private static func twilioServer(
    pages: Int, perPage: Int = 5, action: @escaping @Sendable (Int) -> ServerAction? = { _ in nil }
  ) throws -> TestHTTPServer {
    try TestHTTPServer { req, _ in
      let page = Int(req.query["Page"] ?? "0") ?? 0
      if let replaced = action(page) { return replaced }
      let items = (0..<perPage).map { twilioNumber(page * 100 + $0) }.joined(separator: ",")
      let next = page + 1 < pages ? #""\#(listPath)?PageSize=\#(perPage)&Page=\#(page + 1)""# : "null"
      return .json(200, #"{"incoming_phone_numbers":[\#(items)],"next_page_uri":\#(next),"page":\#(page)}"#)
    }
  }

  private static func vapiPage(_ page: Int, count: Int, hasNext: Bool) -> String {
    let items = (0..<count).map { Fixture.vapiNumberJSON(id: "p\(page)-\($0)") }.joined(separator: ",")
    return
      #"{"results":[\#(items)],"metadata":{"itemsPerPage":\#(count),"totalItems":999,"currentPage":\#(page),"hasNextPage":\#(hasNext)}}"#
  }

  func testNextTwilioPageIsRequestedBeforeTheWalkFinishesThePage() async throws {
    let server = try Self.twilioServer(pages: 3)
    defer { server.stop() }
    let pages = Box<[PageProgress]>([])
    let all = try await Fixture.twilio(server).listIncomingPhoneNumbers { items, progress in
      pages.update { $0.append(progress) }
      // Without overlap this would wait for a request that is only made after it returns.
      if progress.page < 3 { try await waitUntil { server.requestCount >= progress.page + 1 } }
    }
    XCTAssertEqual(all.count, 15)
    XCTAssertEqual(pages.value.map(\.page), [1, 2, 3])
    XCTAssertEqual(pages.value.map(\.itemsSoFar), [5, 10, 15])
    XCTAssertEqual(
      server.requests.map(\.target),
      [
        "\(Self.listPath)?PageSize=1000", "\(Self.listPath)?PageSize=5&Page=1", "\(Self.listPath)?PageSize=5&Page=2",
      ])
  }

  func testNeverMoreThanOnePageAhead() async throws {
    let server = try Self.twilioServer(pages: 6)
    defer { server.stop() }
    let all = try await Fixture.twilio(server).listIncomingPhoneNumbers { _, progress in
      // While the walk dwells on a page, at most the next one has been requested.
      try await Task.sleep(for: .milliseconds(60))
      XCTAssertLessThanOrEqual(server.requestCount, progress.page + 1)
    }
    XCTAssertEqual(all.count, 30)
    XCTAssertEqual(server.requestCount, 6)
  }

  func testTwilioErrorOnPageTwoEndsTheWalkAfterPageOne() async throws {
    let server = try Self.twilioServer(pages: 4) { page in
      page == 1 ? .json(401, #"{"code":20003,"message":"Authenticate","status":401}"#) : nil
    }
    defer { server.stop() }
    let pages = Box<[Int]>([])
    let error = await expectUpstreamError {
      try await Fixture.twilio(server).listIncomingPhoneNumbers { _, p in pages.update { $0.append(p.page) } }
    }
    XCTAssertEqual(error?.kind, .unauthorized)
    XCTAssertEqual(pages.value, [1])
    try await Task.sleep(for: .milliseconds(100))
    XCTAssertEqual(server.requestCount, 2, "no page after the failed one")
  }

  func testCancellingWhilePageTwoIsInFlightStopsPromptly() async throws {
    let server = try Self.twilioServer(pages: 4) { page in
      page == 1 ? .delayed(1.0, .json(200, #"{"incoming_phone_numbers":[],"next_page_uri":null}"#)) : nil
    }
    defer { server.stop() }
    let pages = Box<[Int]>([])
    let client = Fixture.twilio(server)
    let task = Task { try await client.listIncomingPhoneNumbers { _, p in pages.update { $0.append(p.page) } } }
    try await waitUntil { server.requestCount >= 2 }
    let started = ContinuousClock.now
    task.cancel()
    let result = await task.result
    XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(900))
    XCTAssertThrowsError(try result.get()) { XCTAssertTrue($0 is CancellationError, "\($0)") }
    XCTAssertEqual(pages.value, [1])
    try await Task.sleep(for: .milliseconds(1200))
    XCTAssertEqual(server.requestCount, 2, "a page was requested after the cancel")
  }

  func testRetriedPageKeepsOrderAndProgress() async throws {
    let failures = Box(0)
    let server = try Self.twilioServer(pages: 3) { page in
      guard page == 1 else { return nil }
      let first = failures.update { count -> Bool in
        count += 1
        return count == 1
      }
      return first ? .json(503, #"{"code":20500,"message":"busy"}"#) : nil
    }
    defer { server.stop() }
    let pages = Box<[PageProgress]>([])
    let all = try await Fixture.twilio(server).listIncomingPhoneNumbers { _, p in pages.update { $0.append(p) } }
    XCTAssertEqual(all.count, 15)
    XCTAssertEqual(pages.value.map(\.page), [1, 2, 3])
    XCTAssertEqual(pages.value.map(\.itemsSoFar), [5, 10, 15])
    XCTAssertEqual(server.requestCount, 4, "page 2 twice (503, then 200)")
  }

  func testVapiPinsLaterPagesWhenPrefetching() async throws {
    let server = try TestHTTPServer { req, _ in
      let page = Int(req.query["page"] ?? "1") ?? 1
      return .json(200, Self.vapiPage(page, count: 3, hasNext: page < 3))
    }
    defer { server.stop() }
    let pages = Box<[Int]>([])
    let all = try await Fixture.vapi(server).listPhoneNumbers { _, p in
      pages.update { $0.append(p.page) }
      if p.page < 3 { try await waitUntil { server.requestCount >= p.page + 1 } }
    }
    XCTAssertEqual(all.count, 9)
    XCTAssertEqual(pages.value, [1, 2, 3])
    let requests = server.requests
    XCTAssertEqual(requests.map { $0.query["page"] }, ["1", "2", "3"])
    XCTAssertEqual(
      requests.map { $0.query["createdAtLe"] }, [nil, "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z"])
  }
}
