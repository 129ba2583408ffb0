import Foundation
import XCTest

@testable import Telephony

/// Byte-level checks: Vapi rejects any unknown property with a 400.
final class RequestBodyTests: XCTestCase {
  private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

  private func keys(_ data: Data) throws -> Set<String> {
    Set(try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any]).keys)
  }

  func testTwilioImportBodyExact() throws {
    let body = VapiCreateBody.twilio(
      number: "+14155551234", twilioAccountSid: "ACsid", twilioAuthToken: "secret", name: "Main line")
    XCTAssertEqual(
      text(body.encoded()),
      #"{"provider":"twilio","number":"+14155551234","twilioAccountSid":"ACsid","twilioAuthToken":"secret","name":"Main line","smsEnabled":false}"#
    )
  }

  func testTwilioImportBodyWithoutName() throws {
    let body = VapiCreateBody.twilio(number: "+14155551234", twilioAccountSid: "ACsid", twilioAuthToken: "t", name: nil)
    XCTAssertEqual(
      try keys(body.encoded()), ["provider", "number", "twilioAccountSid", "twilioAuthToken", "smsEnabled"])
    XCTAssertEqual(
      text(body.encoded()),
      #"{"provider":"twilio","number":"+14155551234","twilioAccountSid":"ACsid","twilioAuthToken":"t","smsEnabled":false}"#
    )
  }

  func testVapiCreateBodyVariants() throws {
    XCTAssertEqual(
      text(VapiCreateBody.vapi(areaCode: "415", name: nil, fallbackNumber: nil).encoded()),
      #"{"provider":"vapi","numberDesiredAreaCode":"415"}"#)
    XCTAssertEqual(
      text(VapiCreateBody.vapi(areaCode: "415", name: "Sales", fallbackNumber: nil).encoded()),
      #"{"provider":"vapi","numberDesiredAreaCode":"415","name":"Sales"}"#)
    XCTAssertEqual(
      text(VapiCreateBody.vapi(areaCode: "415", name: nil, fallbackNumber: "+14155550100").encoded()),
      #"{"provider":"vapi","numberDesiredAreaCode":"415","fallbackDestination":{"type":"number","number":"+14155550100"}}"#
    )
    let full = VapiCreateBody.vapi(areaCode: "212", name: "Sales", fallbackNumber: "+14155550100").encoded()
    XCTAssertEqual(
      text(full),
      #"{"provider":"vapi","numberDesiredAreaCode":"212","name":"Sales","fallbackDestination":{"type":"number","number":"+14155550100"}}"#
    )
    XCTAssertFalse(text(full).contains("areaCode\""), "never the seed's wrong field")
    XCTAssertFalse(text(full).contains("smsEnabled"), "not a property of the vapi DTO")
  }

  func testUpdateBodyTriStates() throws {
    XCTAssertEqual(text(VapiUpdateBody().encoded()), "{}")
    XCTAssertTrue(VapiUpdateBody().isEmpty)
    XCTAssertEqual(text(VapiUpdateBody(name: .value("New")).encoded()), #"{"name":"New"}"#)
    XCTAssertEqual(text(VapiUpdateBody(name: .null).encoded()), #"{"name":null}"#)
    XCTAssertEqual(text(VapiUpdateBody(assistantId: .null).encoded()), #"{"assistantId":null}"#)
    XCTAssertEqual(text(VapiUpdateBody(assistantId: .value("asst")).encoded()), #"{"assistantId":"asst"}"#)
    XCTAssertEqual(text(VapiUpdateBody(fallbackNumber: .null).encoded()), #"{"fallbackDestination":null}"#)
    XCTAssertEqual(
      text(VapiUpdateBody(fallbackNumber: .value("+14155550100")).encoded()),
      #"{"fallbackDestination":{"type":"number","number":"+14155550100"}}"#)
    XCTAssertEqual(
      text(VapiUpdateBody(name: .value("A"), fallbackNumber: .null, assistantId: .value("b")).encoded()),
      #"{"name":"A","fallbackDestination":null,"assistantId":"b"}"#)
  }

  func testStringsAreEscaped() throws {
    let data = VapiCreateBody.vapi(areaCode: "415", name: "a\"b\\c\nd\u{1}é☎", fallbackNumber: nil).encoded()
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    XCTAssertEqual(object["name"] as? String, "a\"b\\c\nd\u{1}é☎")
    XCTAssertEqual(text(data), #"{"provider":"vapi","numberDesiredAreaCode":"415","name":"a\"b\\c\nd\u0001é☎"}"#)
  }

  func testBodiesAndHeadersOnTheWire() async throws {
    let server = try TestHTTPServer { req, _ in
      .json(req.method == "POST" ? 201 : 200, Fixture.vapiNumberJSON(id: "n"))
    }
    defer { server.stop() }
    let client = Fixture.vapi(server)
    let create = VapiCreateBody.twilio(
      number: "+14155551234", twilioAccountSid: Fixture.accountSid, twilioAuthToken: Fixture.authToken, name: nil)
    _ = try await client.createPhoneNumber(create)
    let update = VapiUpdateBody(name: .null, assistantId: .value("a"))
    _ = try await client.updatePhoneNumber(id: "id/with space", update)
    _ = try await client.deletePhoneNumber(id: "n")
    let r = server.requests
    XCTAssertEqual(r.map(\.method), ["POST", "PATCH", "DELETE"])
    XCTAssertEqual(r[0].path, "/phone-number")
    XCTAssertEqual(r[0].body, create.encoded())
    XCTAssertEqual(r[1].path, "/phone-number/id%2Fwith%20space")
    XCTAssertEqual(r[1].body, update.encoded())
    XCTAssertEqual(r[2].path, "/phone-number/n")
    XCTAssertTrue(r[2].body.isEmpty)
    for req in r {
      XCTAssertEqual(req.headers["authorization"], "Bearer \(Fixture.vapiKey)")
      XCTAssertEqual(req.headers["accept"], "application/json")
      XCTAssertEqual(req.headers["user-agent"], "switchboard/1.2.3")
      XCTAssertNil(req.headers["cookie"])
    }
    XCTAssertEqual(r[0].headers["content-type"], "application/json")
    XCTAssertEqual(r[1].headers["content-type"], "application/json")
  }
}
