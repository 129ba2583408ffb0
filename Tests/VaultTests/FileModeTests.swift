import Foundation
import XCTest

@testable import Vault

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class FileModeTests: VaultTestCase {
  private func assertPrivateLayout(file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertEqual(try mode(home.path), 0o700, "home", file: file, line: line)
    for suffix in ["", "-wal", "-shm"] {
      let path = databasePath + suffix
      XCTAssertTrue(FileManager.default.fileExists(atPath: path), "\(suffix) missing", file: file, line: line)
      XCTAssertEqual(try mode(path), 0o600, "switchboard.sqlite\(suffix)", file: file, line: line)
    }
  }

  func testModesWithTheKeyFile() throws {
    let vault = try openVault(.file)
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    try assertPrivateLayout()
    XCTAssertEqual(try mode(masterKeyPath), 0o600)
    _ = vault
  }

  func testModesWithAnEnvironmentKeyCreateNoKeyFile() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    try assertPrivateLayout()
    XCTAssertFalse(FileManager.default.fileExists(atPath: masterKeyPath))
  }

  /// Even with umask 000 nothing is ever group/other accessible: files are
  /// created with explicit modes, not tightened afterwards.
  func testModesUnderAPermissiveUmask() throws {
    let previous = umask(0)
    defer { umask(previous) }
    let vault = try openVault(.file)
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    try assertPrivateLayout()
    XCTAssertEqual(try mode(masterKeyPath), 0o600)
  }

  func testMissingParentsAreCreated() throws {
    home = sandbox.appendingPathComponent("a/b/c/switchboard", isDirectory: true)
    let vault = try openVault()
    try vault.updateCredentials(profile: "default", changes: [.vapiPrivateKey: "x"])
    try assertPrivateLayout()
  }

  func testExistingFolderModeIsLeftAloneButALooseDatabaseIsTightened() throws {
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    XCTAssertEqual(chmod(home.path, 0o750), 0)
    // A database readable by others, left by someone else's tooling (no write access for others).
    XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: nil))
    XCTAssertEqual(chmod(databasePath, 0o644), 0)
    XCTAssertTrue(
      FileManager.default.createFile(
        atPath: masterKeyPath, contents: Data((VaultTestCase.envKey + "\n").utf8),
        attributes: [.posixPermissions: 0o600]))
    XCTAssertEqual(chmod(masterKeyPath, 0o600), 0)

    let vault = try openVault(.file)
    XCTAssertNil(vault.lockReason)
    try vault.updateCredentials(profile: "default", changes: [.vapiPrivateKey: "x"])
    XCTAssertEqual(try mode(home.path), 0o750)
    XCTAssertEqual(try mode(databasePath), 0o600)
    XCTAssertEqual(try mode(databasePath + "-wal"), 0o600)
    XCTAssertEqual(try mode(databasePath + "-shm"), 0o600)
    XCTAssertEqual(try mode(masterKeyPath), 0o600)
  }

  func testHomePathThatIsAFileIsAnIOError() throws {
    XCTAssertTrue(FileManager.default.createFile(atPath: home.path, contents: Data("x".utf8)))
    XCTAssertThrowsError(try openVault()) { error in
      guard case .io? = error as? VaultError else { return XCTFail("expected io, got \(error)") }
    }
  }

  func testKeyFileIsBase64TextOf32Bytes() throws {
    _ = try openVault(.file)
    let text = try String(contentsOfFile: masterKeyPath, encoding: .utf8)
    XCTAssertTrue(text.hasSuffix("\n"))
    let bytes = try XCTUnwrap(Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)))
    XCTAssertEqual(bytes.count, 32)
    // The same text works as SWITCHBOARD_MASTER_KEY.
    let viaFile = try openVault(.file)
    try viaFile.updateCredentials(profile: "p", changes: [.vapiPrivateKey: "v"])
    let viaEnv = try openVault(.environment(text))
    XCTAssertNil(viaEnv.lockReason)
    XCTAssertEqual(try viaEnv.readCredentials(profile: "p").values, [.vapiPrivateKey: "v"])
  }

  func testRawThirtyTwoByteKeyFileIsAccepted() throws {
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let raw = Data(base64Encoded: VaultTestCase.envKey)!
    XCTAssertTrue(
      FileManager.default.createFile(atPath: masterKeyPath, contents: raw, attributes: [.posixPermissions: 0o600]))
    let viaFile = try openVault(.file)
    XCTAssertNil(viaFile.lockReason)
    try viaFile.updateCredentials(profile: "p", changes: [.vapiPrivateKey: "v"])
    XCTAssertEqual(try openVault().readCredentials(profile: "p").values, [.vapiPrivateKey: "v"])
  }
}
