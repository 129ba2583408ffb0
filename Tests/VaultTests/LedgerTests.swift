import Foundation
import XCTest

@testable import Vault

final class LedgerTests: VaultTestCase {
  func testRecordReturnsTheStoredRow() throws {
    let vault = try openVault()
    let at = Date(timeIntervalSince1970: 1_750_000_000.123)
    let record = try vault.recordOperation(
      NewOperation(
        profile: "default", method: "importNumber", target: "PN0123456789abcdef0123456789abcdef",
        outcome: .failed, detail: "Vapi API error: 400 - bad", numberId: nil, errorKind: "upstream.error", at: at))
    XCTAssertGreaterThan(record.id, 0)
    XCTAssertEqual(record.profile, "default")
    XCTAssertEqual(record.method, "importNumber")
    XCTAssertEqual(record.target, "PN0123456789abcdef0123456789abcdef")
    XCTAssertEqual(record.outcome, .failed)
    XCTAssertEqual(record.detail, "Vapi API error: 400 - bad")
    XCTAssertNil(record.numberId)
    XCTAssertEqual(record.errorKind, "upstream.error")
    XCTAssertEqual(record.at.timeIntervalSince1970, at.timeIntervalSince1970, accuracy: 0.001)
    XCTAssertEqual(try vault.operations(profile: "default", limit: 1), [record])
  }

  func testNewestFirstWithLimitAndCursor() throws {
    let vault = try openVault()
    var ids: [Int64] = []
    for i in 0..<10 {
      let op = NewOperation(
        profile: "p", method: "createNumber", target: "\(i)", outcome: i % 3 == 0 ? .failed : .succeeded,
        numberId: "num-\(i)")
      ids.append(try vault.recordOperation(op).id)
      try vault.recordOperation(NewOperation(profile: "other", method: "m", target: "\(i)", outcome: .succeeded))
    }
    XCTAssertEqual(ids, ids.sorted())
    let newest = try vault.operations(profile: "p", limit: 3)
    XCTAssertEqual(newest.map(\.target), ["9", "8", "7"])
    XCTAssertEqual(newest.map(\.numberId), ["num-9", "num-8", "num-7"])
    let next = try vault.operations(profile: "p", limit: 3, before: newest.last!.id)
    XCTAssertEqual(next.map(\.target), ["6", "5", "4"])
    let all = try vault.operations(profile: "p", limit: 100)
    XCTAssertEqual(all.map(\.target), (0..<10).reversed().map(String.init))
    XCTAssertTrue(all.allSatisfy { $0.profile == "p" })
    XCTAssertEqual(try vault.operations(profile: "p", limit: 0), [])
    XCTAssertEqual(try vault.operations(profile: "p", limit: -5), [])
    XCTAssertEqual(try vault.operations(profile: "p", limit: 5, before: ids[0]), [])
    XCTAssertEqual(try vault.operations(profile: "nobody", limit: 5), [])
  }

  func testRecordsAreCodable() throws {
    let vault = try openVault()
    let record = try vault.recordOperation(NewOperation(profile: "p", method: "m", target: "t", outcome: .succeeded))
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    let decoded = try decoder.decode(OperationRecord.self, from: encoder.encode(record))
    XCTAssertEqual(decoded.id, record.id)
    XCTAssertEqual(decoded.outcome, .succeeded)
  }
}
