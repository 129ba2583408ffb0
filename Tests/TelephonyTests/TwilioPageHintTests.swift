import Foundation
import XCTest

@testable import Telephony

/// The next page's URI reaches `onNext` before the items are parsed, whether the envelope comes
/// before the items (the fake) or after them (Twilio), and the parsed page is the same.
final class TwilioPageHintTests: XCTestCase {
  private let item =
    #"{"sid":"PN0123456789abcdef0123456789abcdef","phone_number":"+14155550100","friendly_name":"a \"next_page_uri\": b","#
    + #""capabilities":{"voice":true,"sms":false},"subresource_uris":{"next_page_uri":"/nested"}}"#

  private func read(_ body: String) throws -> (hint: [String?], page: TwilioIncomingNumberPage) {
    var hints: [String?] = []
    let page = try TwilioIncomingNumberPage.read(Data(body.utf8)) { hints.append($0) }
    return (hints, page)
  }

  func testEnvelopeFirstItemsFirstAndNoNext() throws {
    // (body, hint, next): without a top-level `next_page_uri` the hint may be a nested one (it is
    // only a hint); the page's own `nextPageURI` is always the real one.
    let bodies: [(String, String?, String?)] = [
      (#"{"end":1,"next_page_uri":"/p2","page":0,"incoming_phone_numbers":[\#(item),\#(item)]}"#, "/p2", "/p2"),
      (#"{"end":1,"incoming_phone_numbers":[\#(item),\#(item)],"next_page_uri":"/p2","page":0}"#, "/p2", "/p2"),
      (#"{"incoming_phone_numbers":[\#(item),\#(item)],"next_page_uri" : null,"uri":"/p1"}"#, nil, nil),
      (#"{"incoming_phone_numbers":[\#(item),\#(item)]}"#, "/nested", nil),
    ]
    for (body, hint, next) in bodies {
      let (hints, page) = try read(body)
      XCTAssertEqual(hints, [hint], body)
      XCTAssertEqual(page.nextPageURI, next, body)
      XCTAssertEqual(page.numbers.count, 2, body)
      XCTAssertEqual(page.numbers.first?.friendlyName, #"a "next_page_uri": b"#)
      XCTAssertEqual(page.numbers.first?.capabilities, TwilioCapabilities(voice: true))
    }
  }

  func testMalformedItemsStillFailAfterTheHint() {
    let body = #"{"next_page_uri":"/p2","incoming_phone_numbers":[{"sid":1x}]}"#
    var hints: [String?] = []
    XCTAssertThrowsError(try TwilioIncomingNumberPage.read(Data(body.utf8)) { hints.append($0) })
    XCTAssertEqual(hints, ["/p2"])
  }
}
