import Foundation
import XCTest

@testable import Vault

final class RedactionTests: VaultTestCase {
  func testStoredCredentialsNeverPrintValues() throws {
    let vault = try openVault()
    let creds = try vault.updateCredentials(profile: "default", changes: Sample.all)
    var dumped = ""
    dump(creds, to: &dumped)
    let renderings = [
      creds.description, creds.debugDescription, String(describing: creds), String(reflecting: creds),
      "\(creds)", dumped, String(describing: Mirror(reflecting: creds).children.map { $0.value }),
    ]
    for text in renderings {
      for secret in [Sample.vapiKey, Sample.accountSid, Sample.authToken, Sample.transfer] {
        XCTAssertFalse(text.contains(secret), "secret leaked in: \(text.prefix(40))…")
      }
      XCTAssertTrue(text.contains("vapiPrivateKey") || text.contains("StoredCredentials") || text.contains("set"))
    }
  }

  func testMasterKeySourceNeverPrintsTheKey() {
    let source = MasterKeySource.environment(VaultTestCase.envKey)
    var dumped = ""
    dump(source, to: &dumped)
    for text in [source.description, source.debugDescription, "\(source)", String(reflecting: source), dumped] {
      XCTAssertFalse(text.contains(VaultTestCase.envKey), text)
      XCTAssertFalse(text.contains(String(VaultTestCase.envKey.prefix(8))), text)
    }
  }

  func testErrorDescriptionsHoldNoSecrets() {
    let errors: [VaultError] =
      LockReason.allCases.map { .locked(reason: $0) } + [.corrupt(profile: "p", fields: [.twilioAuthToken])]
    for error in errors {
      XCTAssertFalse(error.description.isEmpty)
      XCTAssertEqual(error.localizedDescription, error.description)
    }
  }

  func testIOErrorsCarryNoBoundValues() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "p", changes: [.vapiPrivateKey: Sample.vapiKey])
    try vault.close()
    XCTAssertThrowsError(try vault.updateCredentials(profile: "p", changes: [.twilioAuthToken: Sample.authToken])) {
      error in
      guard case .io(let message)? = error as? VaultError else {
        return XCTFail("expected io, got \(error)")
      }
      XCTAssertFalse(message.contains(Sample.authToken))
      XCTAssertFalse("\(error)".contains(Sample.authToken))
    }
  }
}
