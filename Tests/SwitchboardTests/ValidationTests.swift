import JSON
import JSONRPC
import XCTest

@testable import Switchboard

final class ValidationTests: XCTestCase {
  func testFormats() {
    XCTAssertTrue(Formats.isAccountSid("AC0123456789abcdef0123456789ABCDEF"))
    XCTAssertFalse(Formats.isAccountSid("AC0123456789abcdef0123456789ABCDE"))
    XCTAssertFalse(Formats.isAccountSid("PN0123456789abcdef0123456789ABCDEF"))
    XCTAssertFalse(Formats.isAccountSid("AC0123456789abcdef0123456789ABCDEG"))
    XCTAssertTrue(PhoneNumberSID.isValid("PN0123456789abcdef0123456789abcdef"))
    XCTAssertTrue(Formats.isAuthToken("0123456789abcdef0123456789abcdef"))
    XCTAssertFalse(Formats.isAuthToken("0123456789abcdef0123456789abcde "))
    XCTAssertTrue(E164Number.isValid("+14155550100"))
    XCTAssertFalse(E164Number.isValid("14155550100"))
    XCTAssertFalse(E164Number.isValid("+04155550100"))
    XCTAssertFalse(E164Number.isValid("+1415555010012345"))
    XCTAssertTrue(Formats.isVapiKey("sk-abc_123"))
    XCTAssertFalse(Formats.isVapiKey(""))
    XCTAssertFalse(Formats.isVapiKey("has space"))
    XCTAssertFalse(Formats.isVapiKey("tab\there"))
    XCTAssertFalse(Formats.isVapiKey("nbsp\u{00A0}here"))
    XCTAssertTrue(AreaCode.isValid("415"))
    XCTAssertFalse(AreaCode.isValid("41"))
    XCTAssertFalse(AreaCode.isValid("4155"))
    XCTAssertFalse(AreaCode.isValid("４１５"))
    // NANP: the first digit is 2-9.
    XCTAssertFalse(AreaCode.isValid("123"))
    XCTAssertFalse(AreaCode.isValid("011"))
    XCTAssertTrue(AreaCode.isValid("200"))
  }

  func testNameRuleCountsUTF16AndTruncatesOnCharacters() {
    XCTAssertTrue(NumberName.isValid(String(repeating: "a", count: 40)))
    XCTAssertFalse(NumberName.isValid(String(repeating: "a", count: 41)))
    XCTAssertFalse(NumberName.isValid(""))
    XCTAssertFalse(NumberName.isValid(String(repeating: "😀", count: 21)))  // 42 UTF-16 units
    let cut = NumberName.truncated(String(repeating: "😀", count: 30))
    XCTAssertEqual(cut.utf16.count, 40)
    XCTAssertEqual(NumberName.truncated("(415) 555-0100"), "(415) 555-0100")
  }

  func testProfileNames() {
    XCTAssertNotNil(ProfileName("client-a.b_c"))
    XCTAssertNil(ProfileName(""))
    XCTAssertNil(ProfileName("bad name"))
    XCTAssertNil(ProfileName(String(repeating: "x", count: 65)))
  }

  func testCreateNumberRefusesBadAreaCodesWithTheSeedMessage() throws {
    for bad: JSONValue in ["41", "4155", "abc", 415, .null] {
      XCTAssertThrowsError(try JSONValueDecoder().decode(CreateNumber.Params.self, from: ["areaCode": bad])) { error in
        let rpc = (error as? any RPCErrorConvertible)?.rpcError
        XCTAssertEqual(rpc?.message, "Valid 3-digit area code is required")
        XCTAssertEqual(rpc?.data?["field"], "/areaCode")
      }
    }
    XCTAssertNoThrow(try JSONValueDecoder().decode(CreateNumber.Params.self, from: ["areaCode": "415"]))
  }

  func testImportNumberNeedsExactlyOneTarget() {
    let decoder = JSONValueDecoder()
    XCTAssertThrowsError(try decoder.decode(ImportNumber.Params.self, from: [:]))
    XCTAssertThrowsError(
      try decoder.decode(
        ImportNumber.Params.self, from: ["sid": "PN0123456789abcdef0123456789abcdef", "phoneNumber": "+14155550100"]))
    XCTAssertThrowsError(try decoder.decode(ImportNumber.Params.self, from: ["sid": "PN12"])) {
      XCTAssertEqual(($0 as? ParamsError)?.pointer, "/sid")
    }
    XCTAssertNoThrow(
      try decoder.decode(ImportNumber.Params.self, from: ["phoneNumber": "+14155550100", "name": "Main"]))
  }
}
