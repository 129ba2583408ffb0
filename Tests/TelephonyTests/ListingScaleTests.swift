import Foundation
import XCTest

@testable import Telephony

/// 10,000 full-size Twilio numbers over 10 pages: correctness at scale, and a timing printout.
final class ListingScaleTests: XCTestCase {
  private static func fullNumber(_ i: Int) -> String {
    let sid = "PN" + String(format: "%032x", i)
    let acct = Fixture.accountSid
    return """
      {"account_sid":"\(acct)","address_requirements":"none","address_sid":null,"api_version":"2010-04-01",\
      "beta":false,"bundle_sid":null,"capabilities":{"fax":false,"mms":true,"sms":true,"voice":\(i % 7 != 0)},\
      "date_created":"Thu, 30 Jul 2015 23:19:04 +0000","date_updated":"Thu, 30 Jul 2015 23:19:04 +0000",\
      "emergency_address_sid":null,"emergency_address_status":"unregistered","emergency_status":"Active",\
      "friendly_name":"(808) 925-\(String(format: "%04d", i % 10000))","identity_sid":null,"origin":"origin",\
      "phone_number":"+1808925\(String(format: "%04d", i % 10000))","sid":"\(sid)","sms_application_sid":"",\
      "sms_fallback_method":"POST","sms_fallback_url":"","sms_method":"POST","sms_url":"","status":"in-use",\
      "status_callback":"","status_callback_method":"POST","subresource_uris":{"assigned_add_ons":\
      "/2010-04-01/Accounts/\(acct)/IncomingPhoneNumbers/\(sid)/AssignedAddOns.json"},"trunk_sid":null,\
      "type":"local","uri":"/2010-04-01/Accounts/\(acct)/IncomingPhoneNumbers/\(sid).json",\
      "voice_application_sid":"","voice_caller_id_lookup":false,"voice_fallback_method":"POST",\
      "voice_fallback_url":null,"voice_method":"POST","voice_receive_mode":"voice","voice_url":"https://api.vapi.ai/twilio/inbound_call"}
      """
  }

  func testTenThousandTwilioNumbers() async throws {
    let listPath = "/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers.json"
    let pages: [Data] = (0..<10).map { page in
      let items = (0..<1000).map { Self.fullNumber(page * 1000 + $0) }.joined(separator: ",")
      let next = page < 9 ? #""\#(listPath)?PageSize=1000&Page=\#(page + 1)&PageToken=PA\#(page + 1)""# : "null"
      return Data(
        #"{"next_page_uri":\#(next),"page":\#(page),"page_size":1000,"incoming_phone_numbers":[\#(items)]}"#.utf8)
    }
    let server = try TestHTTPServer { req, _ in
      let page = Int(req.query["Page"] ?? "0")!
      return .respond(status: 200, headers: ["Content-Type": "application/json"], body: pages[page])
    }
    defer { server.stop() }
    let client = Fixture.twilio(server)
    let start = ContinuousClock.now
    let all = try await client.listIncomingPhoneNumbers()
    let elapsed = ContinuousClock.now - start
    XCTAssertEqual(all.count, 10_000)
    XCTAssertEqual(all.filter(\.capabilities.voice).count, 10_000 - (0..<10_000).filter { $0 % 7 == 0 }.count)
    print("ListingScaleTests: 10,000 numbers (\(pages.reduce(0) { $0 + $1.count } / 1_000_000) MB) in \(elapsed)")
  }
}
