import JSON
import JSONRPC
import Telephony
import Vault
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

  /// `[field, reason]` of the -32602 that `params` fail with for `type`.
  private func failure<P: Decodable>(_ type: P.Type, _ params: JSONValue) -> [String] {
    do {
      _ = try JSONValueDecoder().decode(type, from: params)
      XCTFail("decoded \(params)")
      return []
    } catch {
      return [error.pointer, error.reason]
    }
  }

  func testListsRefuseABadOrRepeatedItemByIndexAndAWrongSize() throws {
    let id = "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"
    let confirm: JSONValue = "release 1 numbers"
    XCTAssertEqual(failure(DeleteNumbers.Params.self, ["confirm": confirm]), ["/ids", "required"])
    XCTAssertEqual(
      failure(DeleteNumbers.Params.self, ["ids": nil, "confirm": confirm]), ["/ids", "expected an array"])
    XCTAssertEqual(
      failure(DeleteNumbers.Params.self, ["ids": [], "confirm": confirm]), ["/ids", "must hold 1-1000 ids"])
    XCTAssertEqual(
      failure(DeleteNumbers.Params.self, ["ids": [.string(id), "x"], "confirm": confirm]), ["/ids/1", NumberID.reason])
    XCTAssertEqual(
      failure(DeleteNumbers.Params.self, ["ids": [.string(id), .string(id.uppercased())], "confirm": confirm]),
      ["/ids/1", "is a duplicate"])
    XCTAssertEqual(
      failure(DeleteNumbers.Params.self, ["ids": [.string(id)], "confirm": "release 2 numbers"]),
      ["/confirm", "must be exactly \"release 1 numbers\""])
    XCTAssertEqual(
      try JSONValueDecoder().decode(DeleteNumbers.Params.self, from: ["ids": [.string(id)], "confirm": confirm]).ids
        .values, [id])
    XCTAssertEqual(
      failure(ImportNumbers.Params.self, ["sids": ["PN0"]]),
      ["/sids/0", PhoneNumberSID.reason])
    // An optional list may be absent, but `null` is not an empty list.
    XCTAssertNil(try JSONValueDecoder().decode(GetUsage.Params.self, from: [:]).ids)
    XCTAssertEqual(failure(GetUsage.Params.self, ["ids": nil]), ["/ids", "expected an array"])
  }

  func testAProfileIsOptionalExceptWhereRequired() throws {
    XCTAssertNil(try JSONValueDecoder().decode(ProfileParams.self, from: ["profile": nil]).profile)
    XCTAssertEqual(failure(ProfileParams.self, ["profile": "bad name"]), ["/profile", ProfileName.reason])
    XCTAssertEqual(failure(DeleteProfile.Params.self, [:]), ["/profile", "required"])
    XCTAssertEqual(failure(DeleteProfile.Params.self, ["profile": nil]), ["/profile", "expected a string, not null"])
    XCTAssertEqual(try JSONValueDecoder().decode(DeleteProfile.Params.self, from: ["profile": "a"]).profile.value, "a")
  }

  func testNullClearsAbsentKeepsAValueSets() throws {
    let set = try JSONValueDecoder().decode(
      SetCredentials.Params.self, from: ["twilioAuthToken": nil, "transferPhoneNumber": "+14155550100"])
    let expected: [CredentialField: String?] = [.twilioAuthToken: String?.none, .transferPhoneNumber: "+14155550100"]
    XCTAssertEqual(set.changes, expected)
    XCTAssertEqual(
      failure(SetCredentials.Params.self, ["twilioAccountSid": 1]), ["/twilioAccountSid", "expected a string"])
    XCTAssertEqual(
      failure(SetCredentials.Params.self, ["twilioAuthToken": "x"]), ["/twilioAuthToken", "must be 32 hex digits"])
    let id = "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"
    let update = try JSONValueDecoder().decode(
      UpdateNumber.Params.self, from: ["id": .string(id), "name": "Sales", "fallbackNumber": nil])
    XCTAssertEqual(update.body, VapiUpdateBody(name: .value("Sales"), fallbackNumber: .null))
    XCTAssertEqual(update.changeSummary, "Set name; cleared fallbackNumber")
    XCTAssertEqual(
      failure(UpdateNumber.Params.self, ["id": .string(id)]),
      ["", "give at least one of name, fallbackNumber or assistantId"])
    XCTAssertEqual(failure(UpdateNumber.Params.self, ["id": nil, "name": "x"]), ["/id", "required"])
    XCTAssertEqual(
      failure(UpdateNumber.Params.self, ["id": .string(id), "assistantId": ""]),
      ["/assistantId", "must be an assistant id"])
  }

  func testBoundedIntegersAndDatesCarryTheirRule() throws {
    XCTAssertEqual(failure(ListOperations.Params.self, ["limit": 0]), ["/limit", "must be between 1 and 10000"])
    XCTAssertEqual(failure(ListOperations.Params.self, ["limit": .number("1.5")]), ["/limit", "expected an integer"])
    XCTAssertEqual(
      try JSONValueDecoder().decode(ListOperations.Params.self, from: ["limit": 10_000]).limit?.value, 10_000)
    XCTAssertEqual(failure(GetUsage.Params.self, ["maxAgeSeconds": -1]), ["/maxAgeSeconds", "must be 0-31536000"])
    XCTAssertEqual(failure(GetUsage.Params.self, ["since": "yesterday"]), ["/since", GetUsage.DateTime.reason])
    XCTAssertEqual(
      failure(GetUsage.Params.self, ["since": "2026-11-02T00:00:00Z", "until": "2026-11-01T00:00:00Z"]),
      ["/until", "must be later than since"])
    let usage = try JSONValueDecoder().decode(GetUsage.Params.self, from: ["since": "1970-01-01T00:00:01Z"])
    XCTAssertEqual(usage.since?.milliseconds, 1000)
  }
}
