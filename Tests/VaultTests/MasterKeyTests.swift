import Foundation
import XCTest

@testable import Vault

final class MasterKeyTests: VaultTestCase {
  func testWrongEnvironmentKeyLocksWithWrongKey() throws {
    try openVault().updateCredentials(profile: "default", changes: Sample.all)
    let vault = try openVault(.environment(VaultTestCase.otherEnvKey))
    XCTAssertEqual(vault.lockReason, .wrongKey)
    assertThrows(.locked(reason: .wrongKey)) { try vault.readCredentials(profile: "default") }
    assertThrows(.locked(reason: .wrongKey)) {
      try vault.updateCredentials(profile: "default", changes: [.vapiPrivateKey: "x"])
    }
    assertThrows(.locked(reason: .wrongKey)) { try vault.clearCredentials(profile: "default") }
    // Nothing was overwritten by the locked instance.
    XCTAssertEqual(try openVault().readCredentials(profile: "default").values.count, 4)
  }

  func testWrongKeyIsDetectedEvenWithoutCredentials() throws {
    _ = try openVault()  // installs the key check
    XCTAssertEqual(try openVault(.environment(VaultTestCase.otherEnvKey)).lockReason, .wrongKey)
  }

  func testMalformedEnvironmentKeysLockWithMalformedKey() throws {
    let malformed = [
      "", "not base64!", Data(count: 16).base64EncodedString(), Data(count: 31).base64EncodedString(),
      Data(count: 33).base64EncodedString(), Data(count: 64).base64EncodedString(),
      String(VaultTestCase.envKey.dropLast(2)),
    ]
    for value in malformed {
      let vault = try openVault(.environment(value))
      XCTAssertEqual(vault.lockReason, .malformedKey, "value of length \(value.count)")
      assertThrows(.locked(reason: .malformedKey)) { try vault.readCredentials(profile: "default") }
    }
  }

  func testSurroundingWhitespaceInTheEnvironmentKeyIsIgnored() throws {
    let vault = try openVault(.environment("  \(VaultTestCase.envKey)\n"))
    XCTAssertNil(vault.lockReason)
  }

  func testDeletedKeyFileWithDataLocksWithKeyFileMissingAndGeneratesNothing() throws {
    try openVault(.file).updateCredentials(profile: "default", changes: Sample.all)
    try FileManager.default.removeItem(atPath: masterKeyPath)
    let vault = try openVault(.file)
    XCTAssertEqual(vault.lockReason, .keyFileMissing)
    XCTAssertFalse(FileManager.default.fileExists(atPath: masterKeyPath), "a new key must not be generated")
    assertThrows(.locked(reason: .keyFileMissing)) { try vault.readCredentials(profile: "default") }
  }

  func testDeletedKeyFileWithOnlyAKeyCheckStillLocks() throws {
    _ = try openVault(.file)
    try FileManager.default.removeItem(atPath: masterKeyPath)
    XCTAssertEqual(try openVault(.file).lockReason, .keyFileMissing)
  }

  func testUnreadableKeyFileLocksWithKeyFileUnreadable() throws {
    try FileManager.default.createDirectory(atPath: masterKeyPath, withIntermediateDirectories: true)
    let vault = try openVault(.file)
    XCTAssertEqual(vault.lockReason, .keyFileUnreadable)
    assertThrows(.locked(reason: .keyFileUnreadable)) { try vault.readCredentials(profile: "p") }
  }

  func testGarbageKeyFileLocksWithMalformedKey() throws {
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    XCTAssertTrue(
      FileManager.default.createFile(
        atPath: masterKeyPath, contents: Data("hello\n".utf8), attributes: [.posixPermissions: 0o600]))
    XCTAssertEqual(try openVault(.file).lockReason, .malformedKey)
  }

  func testLockedVaultStillServesEverythingThatNeedsNoKey() throws {
    let good = try openVault()
    try good.updateCredentials(profile: "default", changes: Sample.all)
    let locked = try openVault(.environment("garbage"))
    XCTAssertEqual(locked.lockReason, .malformedKey)
    XCTAssertEqual(try locked.listProfiles().first?.fieldsSet, CredentialField.allCases)
    try locked.recordOperation(NewOperation(profile: "default", method: "m", target: "t", outcome: .failed))
    XCTAssertEqual(try locked.operations(profile: "default", limit: 5).count, 1)
    XCTAssertEqual(try locked.beginIdempotent(profile: "default", key: "k", method: "m", fingerprint: "f"), .started)
    XCTAssertTrue(try locked.deleteProfile("default"))
  }

  func testGeneratedKeysAreValidAndDistinct() throws {
    let a = Vault.generateMasterKey()
    let b = Vault.generateMasterKey()
    XCTAssertNotEqual(a, b)
    XCTAssertEqual(Data(base64Encoded: a)?.count, 32)
    XCTAssertNil(try openVault(.environment(a)).lockReason)
  }

  func testEnvironmentKeyOverridesAKeyFile() throws {
    // A store made with the env key; a different master.key lying around is ignored.
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    XCTAssertTrue(
      FileManager.default.createFile(
        atPath: masterKeyPath, contents: Data(VaultTestCase.otherEnvKey.utf8), attributes: [.posixPermissions: 0o600]))
    let vault = try openVault()
    XCTAssertNil(vault.lockReason)
    try vault.updateCredentials(profile: "p", changes: [.vapiPrivateKey: "v"])
    XCTAssertEqual(try openVault(.file).lockReason, .wrongKey)
  }
}
