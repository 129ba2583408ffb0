import Foundation
import XCTest

@testable import Telephony

final class CallReadingTests: XCTestCase {
  func testOddCallObjectsAreSkippedOrReadLeniently() throws {
    let body = """
      [{"id":"a","createdAt":"2026-01-01T00:00:00.000Z","type":"inboundPhoneCall","status":"ended","cost":0.5,
        "startedAt":"2026-01-01T00:00:01.000Z","endedAt":"2026-01-01T00:01:01.000Z","phoneNumberId":"p",
        "analysis":{"successEvaluation":false},"messages":[{"role":"bot","message":"hi"}]},
       {"id":"b","createdAt":"2026-01-01T00:00:02.000Z","cost":"0.12","type":7,"endedAt":null,"status":{"x":1}},
       null, 42, "call",
       {"createdAt":"2026-01-01T00:00:03.000Z"},
       {"id":"c"},
       {"id":5,"createdAt":"2026-01-01T00:00:04.000Z"}]
      """
    let page = try VapiCallPage.read(Data(body.utf8))
    XCTAssertEqual(page.calls.map(\.id), ["a", "b"])
    XCTAssertEqual(page.skipped, 6)
    XCTAssertEqual(page.received, 8)
    XCTAssertEqual(page.calls[0].cost, 0.5)
    XCTAssertEqual(page.calls[0].phoneNumberId, "p")
    XCTAssertNil(page.calls[1].cost)
    XCTAssertNil(page.calls[1].type)
    XCTAssertNil(page.calls[1].status)
    XCTAssertNil(page.calls[1].endedAt)
  }

  func testMalformedJSONStillFails() {
    XCTAssertThrowsError(try VapiCallPage.read(Data("[{\"id\":\"a\",".utf8)))
    XCTAssertThrowsError(try VapiCallPage.read(Data("{\"results\":[]}".utf8)))
  }
}
