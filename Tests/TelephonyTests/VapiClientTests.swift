import Foundation
import XCTest

@testable import Telephony

/// A fake `/v2/phone-number` with `createdAtLe` filtering, DESC order and `hasNextPage`.
private final class FakeVapiList: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [(id: String, createdAt: String)]
  var sendHasNextPage = true

  init(count: Int) {
    // Newest first; timestamps strictly decreasing.
    items = (0..<count).map { i in
      let secondsAgo = i
      let ts = String(
        format: "2025-06-01T%02d:%02d:%02d.000Z", 23 - secondsAgo / 3600, 59 - (secondsAgo / 60) % 60,
        59 - secondsAgo % 60)
      return (id: "id-\(i)", createdAt: ts)
    }
  }

  func insertNewest(id: String) {
    lock.withLock { items.insert((id: id, createdAt: "2025-06-02T00:00:00.000Z"), at: 0) }
  }

  func respond(_ req: RecordedRequest) -> ServerAction {
    let q = req.query
    let limit = Int(q["limit"] ?? "100")!
    let page = Int(q["page"] ?? "1")!
    let snapshot = lock.withLock { items }
    let filtered = q["createdAtLe"].map { le in snapshot.filter { $0.createdAt <= le } } ?? snapshot
    let start = (page - 1) * limit
    let slice = start < filtered.count ? Array(filtered[start..<min(filtered.count, start + limit)]) : []
    let results = slice.map { Fixture.vapiNumberJSON(id: $0.id, createdAt: $0.createdAt) }.joined(separator: ",")
    let hasNext = start + limit < filtered.count
    let meta =
      sendHasNextPage
      ? #"{"itemsPerPage":\#(limit),"totalItems":\#(filtered.count),"currentPage":\#(page),"hasNextPage":\#(hasNext)}"#
      : #"{"itemsPerPage":\#(limit),"totalItems":\#(filtered.count),"currentPage":\#(page)}"#
    return .json(200, #"{"results":[\#(results)],"metadata":\#(meta)}"#)
  }
}

private final class PageLog: @unchecked Sendable {
  private let lock = NSLock()
  private var _entries: [(count: Int, progress: PageProgress)] = []
  func add(_ count: Int, _ p: PageProgress) { lock.withLock { _entries.append((count, p)) } }
  var entries: [(count: Int, progress: PageProgress)] { lock.withLock { _entries } }
}

final class VapiClientTests: XCTestCase {
  func testSearchSendsTheDigitsAndWalksEveryPage() async throws {
    let list = FakeVapiList(count: 1500)
    let server = try TestHTTPServer { req, _ in list.respond(req) }
    defer { server.stop() }
    let found = try await Fixture.vapi(server).searchPhoneNumbers(digits: "14155550100")
    XCTAssertEqual(found.count, 1500)
    XCTAssertEqual(server.requests.map { $0.query["search"] }, ["14155550100", "14155550100"])
    XCTAssertEqual(server.requests.map(\.path), ["/v2/phone-number", "/v2/phone-number"])
    let e = await expectUpstreamError {
      try await Fixture.vapi(server).searchPhoneNumbers(digits: String(repeating: "1", count: 101))
    }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertEqual(server.requestCount, 2, "an over-long search is refused before any request")
  }

  func testListWalksPastTheCapPinsTheSetAndReportsProgress() async throws {
    let fake = FakeVapiList(count: 2500)
    let server = try TestHTTPServer { req, i in
      defer { if i == 0 { fake.insertNewest(id: "created-during-walk") } }
      return fake.respond(req)
    }
    defer { server.stop() }
    let log = PageLog()
    let all = try await Fixture.vapi(server).listPhoneNumbers { items, progress in log.add(items.count, progress) }
    XCTAssertEqual(all.count, 2500)
    XCTAssertEqual(Set(all.map(\.id)).count, 2500)
    XCTAssertFalse(all.contains { $0.id == "created-during-walk" })
    XCTAssertEqual(all.first?.id, "id-0")
    XCTAssertEqual(all.last?.id, "id-2499")

    let r = server.requests
    XCTAssertEqual(r.count, 3)
    XCTAssertEqual(r[0].path, "/v2/phone-number")
    XCTAssertEqual(r[0].query, ["limit": "1000", "page": "1", "sortOrder": "DESC", "sortBy": "createdAt"])
    XCTAssertEqual(r[1].query["page"], "2")
    XCTAssertEqual(r[1].query["createdAtLe"], all[0].createdAt)
    XCTAssertEqual(r[2].query["createdAtLe"], all[0].createdAt)
    XCTAssertTrue(r[1].target.contains("createdAtLe=2025-06-01T23%3A59%3A59.000Z"), r[1].target)

    let entries = log.entries
    XCTAssertEqual(entries.map(\.count), [1000, 1000, 500])
    XCTAssertEqual(entries.map(\.progress.page), [1, 2, 3])
    XCTAssertEqual(entries.map(\.progress.itemsSoFar), [1000, 2000, 2500])
    XCTAssertEqual(entries[0].progress.totalItems, 2500)
  }

  func testListDeduplicatesOverlappingPages() async throws {
    let server = try TestHTTPServer { req, _ in
      let page = Int(req.query["page"]!)!
      // Page 2 repeats the last 10 items of page 1 (as a shifted offset would).
      let ids = page == 1 ? Array(0..<1000) : page == 2 ? Array(990..<1500) : []
      let items = ids.map { Fixture.vapiNumberJSON(id: "n\($0)") }.joined(separator: ",")
      return .json(
        200,
        #"{"results":[\#(items)],"metadata":{"itemsPerPage":1000,"totalItems":1500,"currentPage":\#(page),"hasNextPage":\#(page == 1)}}"#
      )
    }
    defer { server.stop() }
    let log = PageLog()
    let all = try await Fixture.vapi(server).listPhoneNumbers { items, p in log.add(items.count, p) }
    XCTAssertEqual(all.count, 1500)
    XCTAssertEqual(Set(all.map(\.id)).count, 1500)
    XCTAssertEqual(log.entries.map(\.count), [1000, 500])
  }

  func testListWithoutHasNextPageStopsOnShortPage() async throws {
    let fake = FakeVapiList(count: 2000)
    fake.sendHasNextPage = false
    let server = try TestHTTPServer { req, _ in fake.respond(req) }
    defer { server.stop() }
    let all = try await Fixture.vapi(server).listPhoneNumbers()
    XCTAssertEqual(all.count, 2000)
    // Two full pages, then an empty third proves the end.
    XCTAssertEqual(server.requestCount, 3)
  }

  func testListStopsWhenServerIgnoresPaging() async throws {
    let server = try TestHTTPServer { _, _ in
      let items = (0..<1000).map { Fixture.vapiNumberJSON(id: "same\($0)") }.joined(separator: ",")
      return .json(
        200,
        #"{"results":[\#(items)],"metadata":{"itemsPerPage":1000,"totalItems":5000,"currentPage":1,"hasNextPage":true}}"#
      )
    }
    defer { server.stop() }
    let all = try await Fixture.vapi(server).listPhoneNumbers()
    XCTAssertEqual(all.count, 1000)
    // Page 3 may have been requested while page 2 was read (it is cancelled once page 2 proves to
    // hold nothing new); never more.
    try await Task.sleep(for: .milliseconds(100))
    XCTAssertLessThanOrEqual(server.requestCount, 3)
    XCTAssertGreaterThanOrEqual(server.requestCount, 2)
  }

  func testPhoneNumberDecodingKeepsNoSecrets() throws {
    let json = Fixture.vapiNumberJSON(
      id: "x",
      extra:
        #","twilioApiSecret":"s3","server":{"url":"https://h","headers":{"k":"v"}},"fallbackDestination":{"type":"number","number":"+1415","extension":"12","message":"hi"},"assistantId":"a"}"#
        .dropLast().description)
    let n = try VapiPhoneNumber.read(Data(json.utf8))
    XCTAssertEqual(n.id, "x")
    XCTAssertEqual(n.provider, "twilio")
    XCTAssertEqual(n.smsEnabled, false)
    XCTAssertEqual(n.fallbackDestination, VapiFallbackDestination(type: "number", number: "+1415", extension: "12"))
    XCTAssertEqual(n.assistantId, "a")
    var held = ""
    dump(n, to: &held)  // everything the model keeps
    XCTAssertFalse(held.contains(Fixture.authToken))
    XCTAssertFalse(held.contains("s3"))
    XCTAssertFalse(held.contains("https://h"))
  }

  func testVapiNumberWithoutNumberDecodes() throws {
    let json =
      #"{"id":"v","orgId":"o","provider":"vapi","status":"activating","numberDesiredAreaCode":"415","createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z"}"#
    let n = try VapiPhoneNumber.read(Data(json.utf8))
    XCTAssertNil(n.number)
    XCTAssertEqual(n.status, "activating")
    XCTAssertEqual(n.numberDesiredAreaCode, "415")
  }

  func testEventsCarryOnlyTemplates() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, Fixture.vapiNumberJSON(id: "uuid-1")) }
    defer { server.stop() }
    let events = Box<[HTTPEvent]>([])
    let client = Fixture.vapi(server, events: events)
    _ = try await client.getPhoneNumber(id: "uuid-1")
    _ = try await client.deletePhoneNumber(id: "uuid-1")
    let e = events.value
    XCTAssertEqual(e.map(\.method), ["GET", "DELETE"])
    XCTAssertEqual(e.map(\.pathTemplate), ["/phone-number/{id}", "/phone-number/{id}"])
    XCTAssertEqual(e.map(\.status), [200, 200])
    XCTAssertEqual(e.map(\.provider), [.vapi, .vapi])
    XCTAssertFalse("\(e)".contains("uuid-1"))
    XCTAssertFalse("\(e)".contains("127.0.0.1"))
  }

  func testBaseURLWithPathPrefix() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, "[]") }
    defer { server.stop() }
    let transport = HTTPTransport(policy: Fixture.policy(), environment: [:])
    let client = VapiClient(
      baseURL: server.baseURL.appendingPathComponent("vapi/"), apiKey: Fixture.vapiKey, transport: transport)
    try await client.checkCredentials()
    XCTAssertEqual(server.requests.first?.target, "/vapi/phone-number?limit=1")
  }
}
