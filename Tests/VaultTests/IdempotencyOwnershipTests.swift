import Foundation
import XCTest

@testable import Vault

final class IdempotencyOwnershipTests: VaultTestCase {
  func testOwnerSentAtClaimAndSuspend() throws {
    let vault = try openVault()
    XCTAssertEqual(
      try vault.beginIdempotent(profile: "p", key: "k", method: "createNumber", fingerprint: "f", owner: "a"), .started)
    var record = try XCTUnwrap(try vault.idempotencyRecord(profile: "p", key: "k"))
    XCTAssertEqual(record.owner, "a")
    XCTAssertNil(record.sentAt)

    try vault.markIdempotentSent(profile: "p", key: "k")
    record = try XCTUnwrap(try vault.idempotencyRecord(profile: "p", key: "k"))
    XCTAssertNotNil(record.sentAt)

    // Only a caller that names the current owner takes the key over, and only once.
    XCTAssertFalse(try vault.claimIdempotent(profile: "p", key: "k", owner: "b", expectedOwner: "someone-else"))
    XCTAssertTrue(try vault.claimIdempotent(profile: "p", key: "k", owner: "b", expectedOwner: "a"))
    XCTAssertFalse(try vault.claimIdempotent(profile: "p", key: "k", owner: "c", expectedOwner: "a"))
    XCTAssertEqual(try vault.idempotencyRecord(profile: "p", key: "k")?.owner, "b")

    // Suspended: unowned, and claimable by naming no owner.
    try vault.suspendIdempotent(profile: "p", key: "k")
    XCTAssertNil(try vault.idempotencyRecord(profile: "p", key: "k")?.owner)
    XCTAssertTrue(try vault.claimIdempotent(profile: "p", key: "k", owner: "c", expectedOwner: nil))

    // A completed key can no longer be claimed, suspended or marked.
    XCTAssertTrue(try vault.completeIdempotent(profile: "p", key: "k", outcome: Data("{}".utf8)))
    XCTAssertFalse(try vault.claimIdempotent(profile: "p", key: "k", owner: "d", expectedOwner: "c"))
    try vault.suspendIdempotent(profile: "p", key: "k")
    XCTAssertEqual(try vault.idempotencyRecord(profile: "p", key: "k")?.owner, "c")
  }

  func testConcurrentClaimsHaveOneWinner() async throws {
    let vault = try openVault()
    _ = try vault.beginIdempotent(profile: "p", key: "k", method: "m", fingerprint: "f", owner: "dead")
    let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
      for i in 0..<20 {
        group.addTask { try vault.claimIdempotent(profile: "p", key: "k", owner: "c\(i)", expectedOwner: "dead") }
      }
      return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    XCTAssertEqual(wins, 1)
  }
}
