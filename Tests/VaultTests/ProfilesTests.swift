import Foundation
import XCTest

@testable import Vault

final class ProfilesTests: VaultTestCase {
  func testListIsSortedWithSortedFields() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "zeta", changes: [.transferPhoneNumber: "+1", .vapiPrivateKey: "v"])
    try vault.updateCredentials(profile: "alpha", changes: [.twilioAuthToken: "t", .twilioAccountSid: "s"])
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    let list = try vault.listProfiles()
    XCTAssertEqual(list.map(\.name), ["alpha", "default", "zeta"])
    XCTAssertEqual(list[0].fieldsSet, [.twilioAccountSid, .twilioAuthToken])
    XCTAssertEqual(list[1].fieldsSet, CredentialField.allCases)
    XCTAssertEqual(list[2].fieldsSet, [.vapiPrivateKey, .transferPhoneNumber])
    XCTAssertLessThanOrEqual(list[0].createdAt, list[0].updatedAt)
  }

  func testDeleteRemovesCredentialsLedgerAndIdempotency() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "gone", changes: Sample.all)
    try vault.updateCredentials(profile: "kept", changes: Sample.all)
    for profile in ["gone", "kept"] {
      try vault.recordOperation(
        NewOperation(profile: profile, method: "importNumber", target: "PN1", outcome: .succeeded))
      _ = try vault.beginIdempotent(profile: profile, key: "k", method: "createNumber", fingerprint: "f")
    }
    XCTAssertTrue(try vault.deleteProfile("gone"))
    XCTAssertFalse(try vault.deleteProfile("gone"))
    XCTAssertFalse(try vault.deleteProfile("never"))
    XCTAssertEqual(try vault.listProfiles().map(\.name), ["kept"])
    XCTAssertTrue(try vault.readCredentials(profile: "gone").isEmpty)
    XCTAssertEqual(try vault.operations(profile: "gone", limit: 10), [])
    XCTAssertNil(try vault.idempotencyRecord(profile: "gone", key: "k"))
    // The other profile is untouched.
    XCTAssertEqual(try vault.readCredentials(profile: "kept").values.count, 4)
    XCTAssertEqual(try vault.operations(profile: "kept", limit: 10).count, 1)
    XCTAssertNotNil(try vault.idempotencyRecord(profile: "kept", key: "k"))
    // Recreating the name starts afresh.
    let again = try vault.updateCredentials(profile: "gone", changes: [.vapiPrivateKey: "new"])
    XCTAssertEqual(again.values, [.vapiPrivateKey: "new"])
  }

  func testDeleteOfAProfileWithOnlyLedgerRowsReportsTrue() throws {
    let vault = try openVault()
    try vault.recordOperation(NewOperation(profile: "ghost", method: "m", target: "t", outcome: .failed))
    XCTAssertTrue(try vault.deleteProfile("ghost"))
    XCTAssertEqual(try vault.operations(profile: "ghost", limit: 10), [])
  }

  func testProfileNameValidation() {
    for good in ["default", "a", "A.b_c-9", String(repeating: "x", count: 64), "..", "-"] {
      XCTAssertTrue(Vault.isValidProfileName(good), good)
    }
    for bad in ["", String(repeating: "x", count: 65), "a b", "a/b", "é", "a\u{0}", "name!", "\n", "ａ"] {
      XCTAssertFalse(Vault.isValidProfileName(bad), bad)
    }
  }
}
