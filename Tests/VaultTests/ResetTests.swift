import Foundation
import XCTest

@testable import Vault

/// `Vault.resetLockedCredentials`: recovery from a lost or wrong master key.
final class ResetTests: VaultTestCase {
  func testLostKeyFileResetDropsSecretsKeepsProfilesLedgerAndIdempotencyAndStartsANewKey() throws {
    let first = try openVault(.file)
    try first.updateCredentials(profile: "default", changes: Sample.all)
    try first.updateCredentials(profile: "client-a", changes: [.vapiPrivateKey: Sample.vapiKey])
    try first.recordOperation(
      NewOperation(profile: "default", method: "importNumber", target: "+14155550100", outcome: .succeeded))
    XCTAssertEqual(try first.beginIdempotent(profile: "default", key: "k", method: "m", fingerprint: "f"), .started)
    try first.close()
    let oldKey = try Data(contentsOf: URL(fileURLWithPath: masterKeyPath))
    try FileManager.default.removeItem(atPath: masterKeyPath)
    XCTAssertEqual(try openVault(.file).lockReason, .keyFileMissing)

    let preview = try Vault.resetPreview(home: home, masterKey: .file)
    XCTAssertEqual(
      preview,
      VaultResetPreview(lockReason: .keyFileMissing, profiles: ["client-a", "default"], sealedFields: 5, operations: 1))
    XCTAssertFalse(FileManager.default.fileExists(atPath: masterKeyPath), "a preview changes nothing")

    let report = try Vault.resetLockedCredentials(home: home, masterKey: .file)
    XCTAssertEqual(report, VaultResetReport(droppedFields: 5, profiles: ["client-a", "default"]))

    let vault = try openVault(.file)
    XCTAssertNil(vault.lockReason, "a new key opens the store")
    let newKey = try Data(contentsOf: URL(fileURLWithPath: masterKeyPath))
    XCTAssertNotEqual(newKey, oldKey)
    XCTAssertEqual(FilePermissions.mode(of: masterKeyPath), 0o600)
    XCTAssertEqual(try vault.listProfiles().map(\.name), ["client-a", "default"])
    XCTAssertEqual(try vault.listProfiles().flatMap(\.fieldsSet), [])
    XCTAssertEqual(try vault.operations(profile: "default", limit: 10).map(\.target), ["+14155550100"])
    guard case .pending = try vault.beginIdempotent(profile: "default", key: "k", method: "m", fingerprint: "f") else {
      return XCTFail("idempotency records survive (a pending purchase stays pending)")
    }
    // New credentials are sealed under the new key and read back.
    try vault.updateCredentials(profile: "default", changes: [.twilioAuthToken: Sample.authToken])
    XCTAssertEqual(try openVault(.file).readCredentials(profile: "default").values[.twilioAuthToken], Sample.authToken)
  }

  func testWrongKeyFileIsReplaced() throws {
    try openVault(.file).updateCredentials(profile: "default", changes: Sample.all)
    let other = Data((VaultTestCase.otherEnvKey + "\n").utf8)
    try other.write(to: URL(fileURLWithPath: masterKeyPath))
    XCTAssertEqual(try openVault(.file).lockReason, .wrongKey)
    XCTAssertEqual(try Vault.resetLockedCredentials(home: home, masterKey: .file).droppedFields, 4)
    XCTAssertNil(try openVault(.file).lockReason)
    XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: masterKeyPath)), other)
  }

  func testEnvironmentKeyBecomesTheStoreKey() throws {
    try openVault(.environment(VaultTestCase.envKey)).updateCredentials(profile: "default", changes: Sample.all)
    let newSource = MasterKeySource.environment(VaultTestCase.otherEnvKey)
    XCTAssertEqual(try openVault(newSource).lockReason, .wrongKey)
    try Vault.resetLockedCredentials(home: home, masterKey: newSource)
    XCTAssertNil(try openVault(newSource).lockReason)
    XCTAssertEqual(
      try openVault(.environment(VaultTestCase.envKey)).lockReason, .wrongKey, "the old key no longer opens it")
    XCTAssertThrowsError(try Vault.resetLockedCredentials(home: home, masterKey: .environment("garbage"))) {
      XCTAssertEqual($0 as? VaultResetError, .malformedEnvironmentKey)
    }
  }

  func testAStoreThatOpensIsNeverReset() throws {
    try openVault(.file).updateCredentials(profile: "default", changes: Sample.all)
    XCTAssertThrowsError(try Vault.resetLockedCredentials(home: home, masterKey: .file)) {
      XCTAssertEqual($0 as? VaultResetError, .notLocked)
    }
    XCTAssertEqual(try openVault(.file).readCredentials(profile: "default").values[.vapiPrivateKey], Sample.vapiKey)
  }
}
