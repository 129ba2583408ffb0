import Foundation
import GRDB
import XCTest

@testable import Vault

final class TamperTests: VaultTestCase {
  func testFlippedByteMakesOnlyThatFieldCorrupt() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    let raw = try rawDatabase()
    for index in [0, 12, 20, -1] {  // nonce, ciphertext, inside, tag
      var box = try rawBox(raw, "default", .twilioAuthToken)
      let original = box
      let position = index >= 0 ? index : box.count - 1
      box[box.startIndex + position] ^= 0x01
      try setRawBox(raw, "default", .twilioAuthToken, box)

      let read = try vault.readCredentials(profile: "default")
      XCTAssertEqual(read.corrupt, [.twilioAuthToken], "byte \(position)")
      XCTAssertNil(read.values[.twilioAuthToken])
      XCTAssertEqual(read.values[.vapiPrivateKey], Sample.vapiKey)
      XCTAssertEqual(read.values[.twilioAccountSid], Sample.accountSid)
      XCTAssertEqual(read.values[.transferPhoneNumber], Sample.transfer)
      XCTAssertNotNil(read.updatedAt[.twilioAuthToken])
      XCTAssertEqual(read.fieldsStored, CredentialField.allCases)
      try setRawBox(raw, "default", .twilioAuthToken, original)
      XCTAssertTrue(try vault.readCredentials(profile: "default").corrupt.isEmpty)
    }
  }

  func testTruncatedAndEmptyBoxesAreCorrupt() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "default", changes: Sample.all)
    let raw = try rawDatabase()
    let box = try rawBox(raw, "default", .vapiPrivateKey)
    try setRawBox(raw, "default", .vapiPrivateKey, box.prefix(10))
    try setRawBox(raw, "default", .twilioAuthToken, Data())
    try raw.write { db in
      try db.execute(
        sql: "UPDATE credentials SET box = 'text', updatedAt = 'not a date' WHERE field = 'transferPhoneNumber'")
    }
    let read = try vault.readCredentials(profile: "default")
    XCTAssertEqual(read.corrupt, [.vapiPrivateKey, .twilioAuthToken, .transferPhoneNumber])
    XCTAssertEqual(read.values, [.twilioAccountSid: Sample.accountSid])
    XCTAssertThrowsError(try read.throwIfCorrupt()) { error in
      XCTAssertEqual(
        error as? VaultError,
        .corrupt(profile: "default", fields: [.vapiPrivateKey, .twilioAuthToken, .transferPhoneNumber]))
    }
    XCTAssertNoThrow(try read.throwIfCorrupt([.twilioAccountSid]))
  }

  func testBoxSwappedBetweenProfilesIsCorruptInBoth() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "a", changes: Sample.all)
    try vault.updateCredentials(profile: "b", changes: [.vapiPrivateKey: "b-vapi", .twilioAuthToken: "b-token"])
    let raw = try rawDatabase()
    let boxA = try rawBox(raw, "a", .vapiPrivateKey)
    let boxB = try rawBox(raw, "b", .vapiPrivateKey)
    try setRawBox(raw, "a", .vapiPrivateKey, boxB)
    try setRawBox(raw, "b", .vapiPrivateKey, boxA)

    let a = try vault.readCredentials(profile: "a")
    let b = try vault.readCredentials(profile: "b")
    XCTAssertEqual(a.corrupt, [.vapiPrivateKey])
    XCTAssertEqual(b.corrupt, [.vapiPrivateKey])
    XCTAssertNil(a.values[.vapiPrivateKey])
    XCTAssertNil(b.values[.vapiPrivateKey])
    XCTAssertEqual(a.values[.twilioAuthToken], Sample.authToken)
    XCTAssertEqual(b.values[.twilioAuthToken], "b-token")
  }

  func testBoxSwappedBetweenFieldsOfOneProfileIsCorruptInBoth() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "a", changes: Sample.all)
    let raw = try rawDatabase()
    let sid = try rawBox(raw, "a", .twilioAccountSid)
    let token = try rawBox(raw, "a", .twilioAuthToken)
    try setRawBox(raw, "a", .twilioAccountSid, token)
    try setRawBox(raw, "a", .twilioAuthToken, sid)
    let a = try vault.readCredentials(profile: "a")
    XCTAssertEqual(a.corrupt, [.twilioAccountSid, .twilioAuthToken])
    XCTAssertEqual(a.values, [.vapiPrivateKey: Sample.vapiKey, .transferPhoneNumber: Sample.transfer])
  }

  func testRowMovedToAnotherProfileIsCorrupt() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "a", changes: [.vapiPrivateKey: "secret-a"])
    try vault.updateCredentials(profile: "b", changes: [.transferPhoneNumber: "+15550000000"])
    let raw = try rawDatabase()
    // Copy a's box into b as a brand-new row.
    try raw.write { db in
      try db.execute(
        sql: """
          INSERT INTO credentials (profile, field, box, updatedAt)
          SELECT 'b', field, box, updatedAt FROM credentials WHERE profile = 'a' AND field = 'vapiPrivateKey'
          """)
    }
    let b = try vault.readCredentials(profile: "b")
    XCTAssertEqual(b.corrupt, [.vapiPrivateKey])
    XCTAssertEqual(b.values, [.transferPhoneNumber: "+15550000000"])
  }

  func testRewritingACorruptFieldRepairsIt() throws {
    let vault = try openVault()
    try vault.updateCredentials(profile: "a", changes: Sample.all)
    let raw = try rawDatabase()
    try setRawBox(raw, "a", .vapiPrivateKey, Data(repeating: 7, count: 60))
    XCTAssertEqual(try vault.readCredentials(profile: "a").corrupt, [.vapiPrivateKey])
    let repaired = try vault.updateCredentials(profile: "a", changes: [.vapiPrivateKey: "fresh"])
    XCTAssertTrue(repaired.corrupt.isEmpty)
    XCTAssertEqual(repaired.values[.vapiPrivateKey], "fresh")
  }

  func testTamperedKeyCheckLocksWithWrongKey() throws {
    _ = try openVault()
    let raw = try rawDatabase()
    try raw.write { db in
      try db.execute(sql: "UPDATE meta SET value = zeroblob(40) WHERE key = 'keyCheck'")
    }
    XCTAssertEqual(try openVault().lockReason, .wrongKey)
  }
}
