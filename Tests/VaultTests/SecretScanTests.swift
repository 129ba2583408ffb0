import Foundation
import XCTest

@testable import Vault

/// The database files must never hold a secret in any encoding.
final class SecretScanTests: VaultTestCase {
  private func encodings(of secret: String) -> [Data] {
    let bytes = Data(secret.utf8)
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    var forms = [
      bytes, Data(bytes.base64EncodedString().utf8), Data(hex.utf8), Data(hex.uppercased().utf8),
      Data(secret.utf16.flatMap { [UInt8($0 & 0xff), UInt8($0 >> 8)] }),  // UTF-16LE
    ]
    // base64 without padding, in case a value is embedded mid-stream.
    forms.append(Data(bytes.base64EncodedString().trimmingCharacters(in: ["="]).utf8))
    return forms
  }

  private func assertNoSecrets(_ secrets: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    var scanned = 0
    for suffix in ["", "-wal", "-shm", "-journal"] {
      let path = databasePath + suffix
      guard let contents = FileManager.default.contents(atPath: path) else { continue }
      scanned += contents.count
      for secret in secrets {
        for form in encodings(of: secret) {
          XCTAssertNil(
            contents.range(of: form), "a form of a secret is in switchboard.sqlite\(suffix)", file: file, line: line)
        }
      }
    }
    XCTAssertGreaterThan(scanned, 0, file: file, line: line)
  }

  func testNoSecretBytesInTheDatabaseFiles() throws {
    let secrets = [
      "vapi-SECRET-\(UUID().uuidString)", "AC\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())",
      "token-SECRET-\(UUID().uuidString)", "+1415\(Int.random(in: 1_000_000...9_999_999))",
    ]
    let vault = try openVault(.file)
    for round in 0..<3 {
      try vault.updateCredentials(
        profile: "p\(round)",
        changes: [
          .vapiPrivateKey: secrets[0], .twilioAccountSid: secrets[1], .twilioAuthToken: secrets[2],
          .transferPhoneNumber: secrets[3],
        ])
      // Overwrite and clear to leave old pages around in the WAL.
      try vault.updateCredentials(profile: "p\(round)", changes: [.twilioAuthToken: secrets[2] + "x"])
      try vault.updateCredentials(profile: "p\(round)", changes: [.vapiPrivateKey: nil])
    }
    XCTAssertEqual(try vault.readCredentials(profile: "p0").values[.twilioAccountSid], secrets[1])
    // The master key must not be stored in the database either.
    let keyText = try String(contentsOfFile: masterKeyPath, encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let keyBytes = try XCTUnwrap(Data(base64Encoded: keyText))

    // While open (the WAL holds the recent pages) …
    try assertNoSecrets(secrets + [secrets[2] + "x", keyText])
    for suffix in ["", "-wal"] {
      let contents = try XCTUnwrap(FileManager.default.contents(atPath: databasePath + suffix))
      XCTAssertNil(contents.range(of: keyBytes), "raw master key in switchboard.sqlite\(suffix)")
    }
    // … and after closing (checkpointed into the main file).
    try vault.close()
    try assertNoSecrets(secrets + [secrets[2] + "x", keyText])
  }
}
