import Foundation
import XCTest

@testable import Telephony

final class TwilioClientTests: XCTestCase {
  private static func number(_ i: Int, caps: String = #"{"voice":true,"sms":true,"mms":false,"fax":false}"#) -> String {
    let sid = "PN" + String(format: "%032x", i)
    return
      #"{"sid":"\#(sid)","account_sid":"\#(Fixture.accountSid)","phone_number":"+1415555\#(String(format: "%04d", i))","friendly_name":"(415) 555-\#(String(format: "%04d", i))","capabilities":\#(caps),"status":"in-use","voice_url":"https://x"}"#
  }

  func testListFollowsNextPageURIUntilNull() async throws {
    let listPath = "/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers.json"
    let server = try TestHTTPServer { req, _ in
      let token = req.query["PageToken"]
      let page = token == nil ? 0 : token == "PA1" ? 1 : 2
      let items = (0..<(page == 2 ? 3 : 4)).map { Self.number(page * 10 + $0) }.joined(separator: ",")
      let next = page < 2 ? #""\#(listPath)?PageSize=4&Page=\#(page + 1)&PageToken=PA\#(page + 1)""# : "null"
      return .json(
        200,
        #"{"first_page_uri":"\#(listPath)?PageSize=4&Page=0","next_page_uri":\#(next),"previous_page_uri":null,"page":\#(page),"page_size":4,"start":0,"end":3,"uri":"x","incoming_phone_numbers":[\#(items)]}"#
      )
    }
    defer { server.stop() }
    let pages = Box<[PageProgress]>([])
    let all = try await Fixture.twilio(server).listIncomingPhoneNumbers { _, p in pages.update { $0.append(p) } }
    XCTAssertEqual(all.count, 11)
    XCTAssertEqual(all.first?.phoneNumber, "+14155550000")
    XCTAssertEqual(all.first?.friendlyName, "(415) 555-0000")
    XCTAssertEqual(all.first?.capabilities, TwilioCapabilities(voice: true, sms: true))
    let r = server.requests
    XCTAssertEqual(
      r.map(\.target),
      [
        "\(listPath)?PageSize=1000",
        "\(listPath)?PageSize=4&Page=1&PageToken=PA1",
        "\(listPath)?PageSize=4&Page=2&PageToken=PA2",
      ])
    let basic = "Basic " + Data("\(Fixture.accountSid):\(Fixture.authToken)".utf8).base64EncodedString()
    XCTAssertTrue(r.allSatisfy { $0.headers["authorization"] == basic })
    XCTAssertEqual(pages.value.map(\.itemsSoFar), [4, 8, 11])
    XCTAssertEqual(pages.value.map(\.page), [1, 2, 3])
  }

  func testNextPageURIKeepsBasePathPrefixAndRefusesForeignHosts() async throws {
    let server = try TestHTTPServer { req, _ in
      if req.query["PageToken"] == nil {
        return .json(
          200,
          #"{"next_page_uri":"/2010-04-01/Accounts/x/IncomingPhoneNumbers.json?PageToken=PA1","incoming_phone_numbers":[]}"#
        )
      }
      return .json(200, #"{"next_page_uri":"https://evil.example/steal","incoming_phone_numbers":[]}"#)
    }
    defer { server.stop() }
    let client = Fixture.twilio(server, base: server.baseURL.appendingPathComponent("twilio"))
    let e = await expectUpstreamError { try await client.listIncomingPhoneNumbers() }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "invalid next_page_uri")
    XCTAssertEqual(
      server.requests.map(\.path),
      [
        "/twilio/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers.json",
        "/twilio/2010-04-01/Accounts/x/IncomingPhoneNumbers.json",
      ])
  }

  func testCapabilitiesDefaultToFalse() throws {
    let json = #"{"sid":"PN1","phone_number":"+1","friendly_name":null,"capabilities":{"voice":true}}"#
    let n = try TwilioIncomingNumber.read(Data(json.utf8))
    XCTAssertEqual(n.capabilities, TwilioCapabilities(voice: true))
    XCTAssertEqual(n.friendlyName, "")
    let none = try TwilioIncomingNumber.read(Data(#"{"sid":"PN2","phone_number":"+2"}"#.utf8))
    XCTAssertEqual(none.capabilities, TwilioCapabilities())
  }

  func testFetchIncomingPhoneNumber() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, Self.number(7)) }
    defer { server.stop() }
    let n = try await Fixture.twilio(server).fetchIncomingPhoneNumber(sid: Fixture.numberSid)
    XCTAssertEqual(n.phoneNumber, "+14155550007")
    XCTAssertEqual(
      server.requests.first?.path,
      "/2010-04-01/Accounts/\(Fixture.accountSid)/IncomingPhoneNumbers/\(Fixture.numberSid).json")
  }

  func testCheckCredentialsActiveAndSuspended() async throws {
    let status = Box("active")
    let server = try TestHTTPServer { _, _ in
      .json(
        200,
        #"{"sid":"\#(Fixture.accountSid)","friendly_name":"My","status":"\#(status.value)","type":"Full","auth_token":"\#(Fixture.authToken)","owner_account_sid":"\#(Fixture.accountSid)"}"#
      )
    }
    defer { server.stop() }
    let client = Fixture.twilio(server)
    let account = try await client.checkCredentials()
    XCTAssertEqual(account, TwilioAccount(sid: Fixture.accountSid, status: "active", type: "Full", friendlyName: "My"))
    var dumped = ""
    dump(account, to: &dumped)
    XCTAssertFalse(dumped.contains(Fixture.authToken), "the model holds no auth_token")
    XCTAssertEqual(server.requests.first?.path, "/2010-04-01/Accounts/\(Fixture.accountSid).json")

    status.value = "suspended"
    let e = await expectUpstreamError { try await client.checkCredentials() }
    XCTAssertEqual(e?.kind, .rejected)
    XCTAssertNil(e?.status)
    XCTAssertEqual(e?.upstreamCode, TwilioClient.accountNotActiveCode)
    XCTAssertEqual(e?.upstreamMessage, "account is suspended")
    XCTAssertEqual(e?.summary, "Twilio API error: account is suspended")
  }

  func testTwilio429ExhaustedCarriesCode() async throws {
    let server = try TestHTTPServer { _, _ in
      .json(
        429,
        #"{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"#
      )
    }
    defer { server.stop() }
    let e = await expectUpstreamError {
      try await Fixture.twilio(server, policy: Fixture.policy(maxRetries: 1)).fetchAccount()
    }
    XCTAssertEqual(e?.kind, .rateLimited(retryAfterMs: nil))
    XCTAssertEqual(e?.upstreamCode, "20429")
    XCTAssertEqual(server.requestCount, 2)
  }
}
