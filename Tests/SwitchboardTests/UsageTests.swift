import Foundation
import Telephony
import XCTest

@testable import Switchboard

final class UsageTests: XCTestCase {
  func testTimeParsesTheFormsVapiSendsAndRoundTrips() {
    XCTAssertEqual(UsageTime.parse("1970-01-01T00:00:00Z"), 0)
    XCTAssertEqual(UsageTime.parse("2026-03-26T15:43:16.145Z"), 1_774_539_796_145)
    XCTAssertEqual(UsageTime.parse("2026-03-26T15:43:16.1Z"), 1_774_539_796_100)
    XCTAssertEqual(UsageTime.parse("2026-03-26T15:43:16.145999Z"), 1_774_539_796_145)
    XCTAssertEqual(UsageTime.parse("2026-03-26T17:43:16.145+02:00"), 1_774_539_796_145)
    XCTAssertEqual(UsageTime.parse("2026-03-26T10:43:16.145-0500"), 1_774_539_796_145)
    XCTAssertEqual(UsageTime.parse("2024-02-29T23:59:59.999Z"), 1_709_251_199_999)
    for bad in [
      "", "yesterday", "2026-13-01T00:00:00Z", "2026-03-26T15:43:16", "2026-03-26T15:43:16.Z", "2026-03-26T25:00:00Z",
      "2026-03-26T15:43:16Zjunk", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
    ] {
      XCTAssertNil(UsageTime.parse(bad), bad)
    }
    for ms: Int64 in [0, 1, 999, 1_774_539_796_145, 951_782_400_000, 4_102_444_799_999, -1] {
      XCTAssertEqual(UsageTime.parse(UsageTime.format(ms)), ms, "\(ms)")
    }
    XCTAssertEqual(UsageTime.format(1_774_539_796_145), "2026-03-26T15:43:16.145Z")
  }

  func testUsageCallTakesWhatItCanAndRefusesWhatItCannot() {
    let id = "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"
    let call = VapiCall(
      id: "c1", type: "inboundPhoneCall", status: "ended", createdAt: "2026-03-26T15:43:16.000Z",
      startedAt: "2026-03-26T15:43:17.000Z", endedAt: "2026-03-26T15:45:17.500Z", cost: 0.25, phoneNumberId: id)
    let usage = UsageSync.usageCall(call, numberId: id)
    XCTAssertEqual(usage?.seconds, 120.5)
    XCTAssertEqual(usage?.cost, 0.25)
    var backwards = call
    backwards.endedAt = "2026-03-26T15:43:10.000Z"
    XCTAssertEqual(UsageSync.usageCall(backwards, numberId: id)?.seconds, 0)
    var noStart = call
    noStart.startedAt = nil
    XCTAssertNil(UsageSync.usageCall(noStart, numberId: id)?.seconds)
    var unreadable = call
    unreadable.createdAt = "soon"
    XCTAssertNil(UsageSync.usageCall(unreadable, numberId: id))
    var other = call
    other.phoneNumberId = "someone-else"
    XCTAssertNil(UsageSync.usageCall(other, numberId: id))
  }
}
