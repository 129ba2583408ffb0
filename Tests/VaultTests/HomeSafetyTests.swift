import Foundation
import XCTest

@testable import Vault

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The home folder and the store's files are refused when another user could change them (or read
/// the master key), and links are never followed for the store's files.
final class HomeSafetyTests: VaultTestCase {
  private func assertUnsafe(
    _ reason: UnsafeReason, at path: String, _ source: MasterKeySource = .environment(VaultTestCase.envKey),
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(try openVault(source), file: file, line: line) { error in
      guard case .unsafe(let where_, let why)? = error as? VaultError else {
        return XCTFail("expected unsafe, got \(error)", file: file, line: line)
      }
      XCTAssertEqual(why, reason, file: file, line: line)
      XCTAssertEqual(where_, path, file: file, line: line)
      let text = "\(error)"
      XCTAssertTrue(text.contains(path), "the message names the path: \(text)", file: file, line: line)
      XCTAssertTrue(
        text.contains("chmod") || text.contains("chown") || text.contains("Move it away"), text, file: file, line: line)
    }
  }

  private func makeHome(mode: mode_t) throws {
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    XCTAssertEqual(chmod(home.path, mode), 0)
  }

  func testFolderWritableByOthersIsRefused() throws {
    for mode: mode_t in [0o777, 0o770, 0o702] {
      try makeHome(mode: mode)
      assertUnsafe(.writableByOthers, at: home.path)
      try FileManager.default.removeItem(at: home)
    }
    try makeHome(mode: 0o755)  // readable is fine: every file inside is 0600
    XCTAssertNoThrow(try openVault())
  }

  func testKeyFileReadableByOthersIsRefusedAndNotTightenedQuietly() throws {
    try makeHome(mode: 0o700)
    XCTAssertTrue(
      FileManager.default.createFile(atPath: masterKeyPath, contents: Data((VaultTestCase.envKey + "\n").utf8)))
    for mode: mode_t in [0o644, 0o640, 0o604] {
      XCTAssertEqual(chmod(masterKeyPath, mode), 0)
      assertUnsafe(.keyReadableByOthers, at: masterKeyPath, .file)
      XCTAssertEqual(try self.mode(masterKeyPath), Int(mode), "left as it was: the user must know it was exposed")
    }
  }

  func testDatabaseWritableByOthersIsRefused() throws {
    try makeHome(mode: 0o700)
    XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: nil))
    XCTAssertEqual(chmod(databasePath, 0o666), 0)
    assertUnsafe(.writableByOthers, at: databasePath)
  }

  func testSymlinkedStoreFilesAreNeverFollowed() throws {
    try makeHome(mode: 0o700)
    let outside = sandbox.appendingPathComponent("outside.sqlite").path
    XCTAssertTrue(FileManager.default.createFile(atPath: outside, contents: nil))
    XCTAssertEqual(chmod(outside, 0o644), 0)
    for name in ["switchboard.sqlite", "switchboard.sqlite-wal", "switchboard.sqlite-shm", "master.key"] {
      let link = home.appendingPathComponent(name).path
      XCTAssertEqual(symlink(outside, link), 0)
      assertUnsafe(.symbolicLink, at: link, name == "master.key" ? .file : .environment(VaultTestCase.envKey))
      XCTAssertEqual(try mode(outside), 0o644, "chmod must not follow the link to a file outside the home")
      XCTAssertEqual(unlink(link), 0)
    }
  }

  func testALinkedHomeLeadsToAFolderThatIsChecked() throws {
    let real = sandbox.appendingPathComponent("real", isDirectory: true)
    try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
    XCTAssertEqual(chmod(real.path, 0o700), 0)
    XCTAssertEqual(symlink(real.path, home.path), 0)
    let vault = try openVault()
    XCTAssertEqual(vault.home.path, real.path)
    try vault.close()
    XCTAssertEqual(chmod(real.path, 0o777), 0)
    assertUnsafe(.writableByOthers, at: real.path)
  }

  /// The reproduced attack: SWITCHBOARD_HOME leads (through a link) to another user's folder with a
  /// planted key. Needs root to give the folder to another uid.
  func testAnotherUsersFolderAndFilesAreRefused() throws {
    guard geteuid() == 0 else { throw XCTSkip("needs root to create a folder owned by another uid") }
    let theirs = sandbox.appendingPathComponent("theirs", isDirectory: true)
    try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
    XCTAssertEqual(chmod(theirs.path, 0o700), 0)
    XCTAssertEqual(chown(theirs.path, 4242, 4242), 0)
    XCTAssertEqual(symlink(theirs.path, home.path), 0)
    assertUnsafe(.ownedByAnotherUser, at: theirs.path, .file)
    XCTAssertFalse(FileManager.default.fileExists(atPath: theirs.appendingPathComponent("switchboard.sqlite").path))

    // Our own folder, but a planted key file owned by someone else.
    XCTAssertEqual(unlink(home.path), 0)
    try makeHome(mode: 0o700)
    XCTAssertTrue(
      FileManager.default.createFile(atPath: masterKeyPath, contents: Data((VaultTestCase.envKey + "\n").utf8)))
    XCTAssertEqual(chmod(masterKeyPath, 0o600), 0)
    XCTAssertEqual(chown(masterKeyPath, 4242, 4242), 0)
    assertUnsafe(.ownedByAnotherUser, at: masterKeyPath, .file)
  }
}
