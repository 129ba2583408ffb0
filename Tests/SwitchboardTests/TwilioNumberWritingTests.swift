import JSON
import XCTest

@testable import Switchboard

/// `TwilioNumber.write(to:)` (the listing's fast path) must give exactly the bytes of its
/// `Encodable` encoding through `JSONBytesEncoder` and through the tree path, whatever the strings.
final class TwilioNumberWritingTests: XCTestCase {
  private func written(_ number: TwilioNumber) -> String {
    var writer = JSONWriter()
    number.write(to: &writer)
    return String(decoding: writer.takeBytes(), as: UTF8.self)
  }

  private func check(_ number: TwilioNumber, file: StaticString = #filePath, line: UInt = #line) throws {
    let encoded = String(decoding: try JSONBytesEncoder().encode(number), as: UTF8.self)
    let tree = String(decoding: JSONWriter.encode(try JSONValueEncoder().encode(number)), as: UTF8.self)
    XCTAssertEqual(written(number), encoded, file: file, line: line)
    XCTAssertEqual(written(number), tree, file: file, line: line)
  }

  private func number(
    sid: String = "PN0123456789abcdef0123456789abcdef", phone: String = "+14155550100", name: String = "(415) 555-0100",
    voice: Bool = true, sms: Bool = false, mms: Bool = true, fax: Bool = false, vapiId: String? = nil
  ) -> TwilioNumber {
    TwilioNumber(
      sid: sid, phoneNumber: phone, friendlyName: name,
      capabilities: .init(voice: voice, sms: sms, mms: mms, fax: fax), imported: vapiId != nil, vapiId: vapiId)
  }

  func testPlainNumbersImportedOrNot() throws {
    try check(number())
    try check(number(vapiId: "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"))
    XCTAssertEqual(
      written(number(vapiId: "v1")),
      #"{"sid":"PN0123456789abcdef0123456789abcdef","phoneNumber":"+14155550100","friendlyName":"(415) 555-0100","#
        + #""capabilities":{"voice":true,"sms":false,"mms":true,"fax":false},"imported":true,"vapiId":"v1"}"#)
  }

  func testEveryCapabilityCombination() throws {
    for bits in 0..<16 {
      try check(number(voice: bits & 1 != 0, sms: bits & 2 != 0, mms: bits & 4 != 0, fax: bits & 8 != 0))
    }
  }

  func testStringsThatNeedEscapingOrAreUnusual() throws {
    for name in [
      "", "quote \" backslash \\ slash /", "tab\tnew\nline\r", "\u{0}\u{1f}\u{7f}", "line\u{2028}para\u{2029}end",
      "émoji 📞 ñ", "\u{e2}\u{80}", String(repeating: "long ", count: 500),
    ] {
      try check(number(name: name))
      try check(number(sid: name, phone: name, name: name, vapiId: name))
    }
  }

  /// The array the listing builds with the fast path equals the one built from `Encodable`.
  func testArrayBuilderFastPathMatchesEncodable() throws {
    let numbers = [number(), number(name: "a\"b", vapiId: "x"), number(sms: true, fax: true)]
    var fast = JSONArrayBuilder()
    var slow = JSONArrayBuilder()
    for n in numbers {
      fast.append { n.write(to: &$0) }
      try slow.append(n)
    }
    XCTAssertEqual(fast.count, 3)
    XCTAssertEqual(fast.finish().bytes, slow.finish().bytes)
    var empty = JSONArrayBuilder()
    XCTAssertEqual(String(decoding: empty.finish().bytes, as: UTF8.self), "[]")
  }
}
