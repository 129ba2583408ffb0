import Foundation
import XCTest

@testable import Vault

final class IdempotencyTests: VaultTestCase {
  func testStateMachine() throws {
    let vault = try openVault()
    let outcome = Data(#"{"id":"num-1"}"#.utf8)
    XCTAssertNil(try vault.idempotencyRecord(profile: "p", key: "k1"))

    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "createNumber", fingerprint: "f1"), .started)
    let pending = try XCTUnwrap(try vault.idempotencyRecord(profile: "p", key: "k1"))
    XCTAssertEqual(pending.state, .pending)
    XCTAssertNil(pending.outcome)
    XCTAssertNil(pending.completedAt)
    XCTAssertEqual(pending.method, "createNumber")
    XCTAssertEqual(pending.fingerprint, "f1")

    // Same request again while pending.
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "createNumber", fingerprint: "f1"),
      .pending(since: pending.createdAt))
    // Different parameters or method with the same key.
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "createNumber", fingerprint: "f2"), .mismatch)
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "importNumber", fingerprint: "f1"), .mismatch)

    XCTAssertTrue(try vault.completeIdempotent(profile: "p", key: "k1", outcome: outcome))
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "createNumber", fingerprint: "f1"),
      .completed(outcome: outcome))
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k1", method: "createNumber", fingerprint: "f2"), .mismatch)
    let completed = try XCTUnwrap(try vault.idempotencyRecord(profile: "p", key: "k1"))
    XCTAssertEqual(completed.state, .completed)
    XCTAssertEqual(completed.outcome, outcome)
    XCTAssertNotNil(completed.completedAt)
    XCTAssertEqual(completed.createdAt, pending.createdAt)

    // A completed record keeps its first outcome and cannot be released.
    XCTAssertFalse(try vault.completeIdempotent(profile: "p", key: "k1", outcome: Data("other".utf8)))
    XCTAssertFalse(try vault.releaseIdempotent(profile: "p", key: "k1"))
    XCTAssertEqual(try vault.idempotencyRecord(profile: "p", key: "k1")?.outcome, outcome)
  }

  func testReleaseLetsTheKeyStartAgain() throws {
    let vault = try openVault()
    XCTAssertEqual(try vault.beginIdempotent(profile: "p", key: "k", method: "m", fingerprint: "f"), .started)
    XCTAssertTrue(try vault.releaseIdempotent(profile: "p", key: "k"))
    XCTAssertFalse(try vault.releaseIdempotent(profile: "p", key: "k"))
    XCTAssertNil(try vault.idempotencyRecord(profile: "p", key: "k"))
    XCTAssertFalse(try vault.completeIdempotent(profile: "p", key: "k", outcome: Data()))
    XCTAssertEqual(try vault.beginIdempotent(profile: "p", key: "k", method: "m", fingerprint: "other"), .started)
  }

  func testKeysAreScopedByProfile() throws {
    let vault = try openVault()
    XCTAssertEqual(try vault.beginIdempotent(profile: "a", key: "k", method: "m", fingerprint: "f"), .started)
    XCTAssertEqual(try vault.beginIdempotent(profile: "b", key: "k", method: "m", fingerprint: "f"), .started)
    try vault.completeIdempotent(profile: "a", key: "k", outcome: Data("a".utf8))
    XCTAssertEqual(try vault.idempotencyRecord(profile: "b", key: "k")?.state, .pending)
  }

  func testPendingSurvivesARestartAndCompletedReplays() throws {
    do {
      let vault = try openVault()
      XCTAssertEqual(try vault.beginIdempotent(profile: "p", key: "crash", method: "m", fingerprint: "f"), .started)
      XCTAssertEqual(try vault.beginIdempotent(profile: "p", key: "done", method: "m", fingerprint: "f"), .started)
      try vault.completeIdempotent(profile: "p", key: "done", outcome: Data("ok".utf8))
    }
    let vault = try openVault()
    guard case .pending = try vault.beginIdempotent(profile: "p", key: "crash", method: "m", fingerprint: "f") else {
      return XCTFail("expected pending")
    }
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "done", method: "m", fingerprint: "f"),
      .completed(outcome: Data("ok".utf8)))
  }

  func testConcurrentBeginStartsExactlyOnce() async throws {
    let vault = try openVault()
    let second = try openVault()  // a second pool on the same file, as another process would have
    for round in 0..<5 {
      let key = "key-\(round)"
      let results = try await withThrowingTaskGroup(of: IdempotencyBegin.self) { group in
        for i in 0..<40 {
          let target = i.isMultiple(of: 2) ? vault : second
          group.addTask {
            try target.beginIdempotent(profile: "p", key: key, method: "createNumber", fingerprint: "f")
          }
        }
        var all: [IdempotencyBegin] = []
        for try await result in group { all.append(result) }
        return all
      }
      XCTAssertEqual(results.filter { $0 == .started }.count, 1, "round \(round)")
      XCTAssertEqual(results.count, 40)
      XCTAssertTrue(results.allSatisfy { if case .pending = $0 { return true } else { return $0 == .started } })
    }
  }
}
