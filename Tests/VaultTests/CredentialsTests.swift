import Foundation
import XCTest

@testable import Vault

final class CredentialsTests: VaultTestCase {
  func testSetThenReadReturnsEveryField() throws {
    let vault = try openVault()
    let returned = try vault.updateCredentials(profile: "default", changes: Sample.all)
    let read = try vault.readCredentials(profile: "default")
    XCTAssertEqual(returned, read)
    XCTAssertEqual(read.values[.vapiPrivateKey], Sample.vapiKey)
    XCTAssertEqual(read.values[.twilioAccountSid], Sample.accountSid)
    XCTAssertEqual(read.values[.twilioAuthToken], Sample.authToken)
    XCTAssertEqual(read[.transferPhoneNumber], Sample.transfer)
    XCTAssertTrue(read.corrupt.isEmpty)
    XCTAssertEqual(Set(read.updatedAt.keys), Set(CredentialField.allCases))
    XCTAssertEqual(read.fieldsStored, CredentialField.allCases)
    XCTAssertEqual(read.profile, "default")
  }

  func testAbsentKeyKeepsAndNullClears() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "p", changes: Sample.all)
    // Absent: kept. Value: replaced. nil: cleared.
    let after = try vault.updateCredentials(
      profile: "p", changes: [.twilioAuthToken: "new-token", .transferPhoneNumber: nil])
    XCTAssertEqual(after.values[.vapiPrivateKey], Sample.vapiKey)
    XCTAssertEqual(after.values[.twilioAccountSid], Sample.accountSid)
    XCTAssertEqual(after.values[.twilioAuthToken], "new-token")
    XCTAssertNil(after.values[.transferPhoneNumber])
    XCTAssertNil(after.updatedAt[.transferPhoneNumber])
    XCTAssertEqual(after, try vault.readCredentials(profile: "p"))
  }

  func testClearRemovesAllFieldsAndKeepsTheProfile() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "p", changes: Sample.all)
    let cleared = try vault.clearCredentials(profile: "p")
    XCTAssertTrue(cleared.isEmpty)
    XCTAssertTrue(try vault.readCredentials(profile: "p").isEmpty)
    let profiles = try vault.listProfiles()
    XCTAssertEqual(profiles.map(\.name), ["p"])
    XCTAssertEqual(profiles.first?.fieldsSet, [])
    // Setting again after a clear works.
    try vault.updateCredentials(profile: "p", changes: [.vapiPrivateKey: "again"])
    XCTAssertEqual(try vault.readCredentials(profile: "p").values, [.vapiPrivateKey: "again"])
  }

  func testUnknownProfileReadsEmptyAndClearingItCreatesNothing() throws {
    let vault = try openVault()
    XCTAssertTrue(try vault.readCredentials(profile: "nobody").isEmpty)
    XCTAssertTrue(try vault.updateCredentials(profile: "nobody", changes: [.vapiPrivateKey: nil]).isEmpty)
    XCTAssertTrue(try vault.updateCredentials(profile: "nobody", changes: [:]).isEmpty)
    XCTAssertTrue(try vault.clearCredentials(profile: "nobody").isEmpty)
    XCTAssertEqual(try vault.listProfiles(), [])
  }

  func testFirstWriteCreatesTheProfileAndLaterWritesMoveUpdatedAt() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "p", changes: [.vapiPrivateKey: "one"])
    let first = try XCTUnwrap(try vault.listProfiles().first)
    Thread.sleep(forTimeInterval: 0.01)
    try vault.updateCredentials(profile: "p", changes: [.twilioAuthToken: "two"])
    let second = try XCTUnwrap(try vault.listProfiles().first)
    XCTAssertEqual(first.createdAt, second.createdAt)
    XCTAssertGreaterThan(second.updatedAt, first.updatedAt)
    XCTAssertEqual(second.fieldsSet, [.vapiPrivateKey, .twilioAuthToken])
  }

  func testProfilesAreIsolated() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "a", changes: Sample.all)
    try vault.updateCredentials(profile: "b", changes: [.vapiPrivateKey: "b-key"])
    XCTAssertEqual(try vault.readCredentials(profile: "b").values, [.vapiPrivateKey: "b-key"])
    try vault.updateCredentials(profile: "b", changes: [.vapiPrivateKey: nil])
    try vault.clearCredentials(profile: "b")
    let a = try vault.readCredentials(profile: "a")
    XCTAssertEqual(a.values.count, 4)
    XCTAssertEqual(a.values[.vapiPrivateKey], Sample.vapiKey)
    XCTAssertTrue(try vault.readCredentials(profile: "b").isEmpty)
  }

  func testReopenKeepsEverything() throws {
    do {
      let vault = try openVault()
      try vault.updateCredentials(profile: "default", changes: Sample.all)
      try vault.updateCredentials(profile: "work", changes: [.twilioAuthToken: "w"])
      try vault.recordOperation(
        NewOperation(profile: "work", method: "createNumber", target: "415", outcome: .succeeded))
      XCTAssertEqual(
        try vault.beginIdempotent(profile: "work", key: "k", method: "createNumber", fingerprint: "f"), .started)
      try vault.close()
    }
    let reopened = try openVault()
    XCTAssertNil(reopened.lockReason)
    XCTAssertEqual(try reopened.readCredentials(profile: "default").values.count, 4)
    XCTAssertEqual(try reopened.readCredentials(profile: "work").values, [.twilioAuthToken: "w"])
    XCTAssertEqual(try reopened.listProfiles().map(\.name), ["default", "work"])
    XCTAssertEqual(try reopened.operations(profile: "work", limit: 10).count, 1)
    XCTAssertEqual(try reopened.idempotencyRecord(profile: "work", key: "k")?.state, .pending)
  }

  func testReopenWithGeneratedKeyFileKeepsEverything() throws {
    do {
      let vault = try openVault(.file)
      XCTAssertNil(vault.lockReason)
      try vault.updateCredentials(profile: "default", changes: Sample.all)
    }
    let reopened = try openVault(.file)
    XCTAssertEqual(try reopened.readCredentials(profile: "default").values.count, 4)
  }

  func testUnicodeAndEmptyValuesRoundTrip() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "u", changes: [.vapiPrivateKey: "ключ 🔑\u{0}end", .twilioAuthToken: ""])
    let read = try vault.readCredentials(profile: "u")
    XCTAssertEqual(read.values[.vapiPrivateKey], "ключ 🔑\u{0}end")
    XCTAssertEqual(read.values[.twilioAuthToken], "")
  }

  func testCredentialFieldRawValuesAreTheJSONNames() {
    XCTAssertEqual(
      CredentialField.allCases.map(\.rawValue),
      ["vapiPrivateKey", "twilioAccountSid", "twilioAuthToken", "transferPhoneNumber"])
    XCTAssertEqual(CredentialField.allCases.shuffled().sorted(), CredentialField.allCases)
  }
}
