import Foundation
import GRDB
import XCTest

@testable import Vault

/// Base class: a fresh temporary home folder per test, removed afterwards.
class VaultTestCase: XCTestCase {
  /// Parent folder holding `home` (so tests can let the vault create `home`).
  var sandbox: URL!
  /// The vault home used by the test (not created until a vault opens it).
  var home: URL!

  /// A fixed valid master key (base64 of 32 bytes).
  static let envKey = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }).base64EncodedString()
  /// Another valid master key.
  static let otherEnvKey = Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) }).base64EncodedString()

  override func setUpWithError() throws {
    try super.setUpWithError()
    sandbox = FileManager.default.temporaryDirectory
      .appendingPathComponent("vault-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
    home = sandbox.appendingPathComponent("home", isDirectory: true)
  }

  override func tearDownWithError() throws {
    if let sandbox { try? FileManager.default.removeItem(at: sandbox) }
    try super.tearDownWithError()
  }

  /// Opens the vault in `home` with the env key (default) or another source.
  func openVault(_ source: MasterKeySource = .environment(VaultTestCase.envKey)) throws -> Vault {
    try Vault.open(home: home, masterKey: source)
  }

  var databasePath: String { home.appendingPathComponent("switchboard.sqlite").path }
  var masterKeyPath: String { home.appendingPathComponent("master.key").path }

  /// A separate raw connection to the vault database, for tampering.
  func rawDatabase() throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    return try DatabaseQueue(path: databasePath, configuration: configuration)
  }

  /// The stored box of (profile, field), read through a raw connection.
  func rawBox(_ db: DatabaseQueue, _ profile: String, _ field: CredentialField) throws -> Data {
    try XCTUnwrap(
      db.read { db in
        try Data.fetchOne(
          db, sql: "SELECT box FROM credentials WHERE profile = ? AND field = ?",
          arguments: [profile, field.rawValue])
      })
  }

  /// Overwrites the stored box of (profile, field) through a raw connection.
  func setRawBox(_ db: DatabaseQueue, _ profile: String, _ field: CredentialField, _ box: Data) throws {
    try db.write { db in
      try db.execute(
        sql: "UPDATE credentials SET box = ? WHERE profile = ? AND field = ?",
        arguments: [box, profile, field.rawValue])
      XCTAssertEqual(db.changesCount, 1)
    }
  }

  /// Permission bits of a path.
  func mode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return try XCTUnwrap(attributes[.posixPermissions] as? Int)
  }

  /// Asserts `body` throws exactly `expected`.
  func assertThrows<T>(
    _ expected: VaultError, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
  ) {
    XCTAssertThrowsError(try body(), file: file, line: line) { error in
      XCTAssertEqual(error as? VaultError, expected, file: file, line: line)
    }
  }
}

/// A full set of plausible, distinctive test credentials.
enum Sample {
  static let vapiKey = "3f1c9a7e-58b2-4d0e-9c61-a2b4c6d8e0f1"
  static let accountSid = "AC0123456789abcdef0123456789abcdef"
  static let authToken = "f00dfacecafebeef0123456789abcdef"
  static let transfer = "+14155550123"

  static var all: [CredentialField: String?] {
    [
      .vapiPrivateKey: vapiKey, .twilioAccountSid: accountSid,
      .twilioAuthToken: authToken, .transferPhoneNumber: transfer,
    ]
  }
}
