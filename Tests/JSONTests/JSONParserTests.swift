import XCTest

@testable import JSON

final class JSONParserTests: XCTestCase {
  private func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }
  private func parse(_ bytes: [UInt8]) throws -> JSONValue { try JSONParser.parse(bytes) }

  func testScalarsAndNumbersKeepTheirTokens() throws {
    XCTAssertEqual(
      try parse("[1, -0, 1.0, 1e3, 92233720368547758070, true, false, null]"),
      .array([
        .number("1"), .number("-0"), .number("1.0"), .number("1e3"), .number("92233720368547758070"), .bool(true),
        .bool(false), .null,
      ]))
  }

  func testObjectsKeepOrder() throws {
    guard case .object(let o) = try parse(#"{"b":1,"a":{"c":[]}}"#) else { return XCTFail() }
    XCTAssertEqual(o.keys, ["b", "a"])
  }

  func testEscapesAndSurrogatePairs() throws {
    XCTAssertEqual(try parse(#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#), .string("a\"\\/\u{8}\u{c}\n\r\té😀"))
  }

  func testRejections() {
    let bad: [[UInt8]] = [
      Array("".utf8), Array("{".utf8), Array("[1,]".utf8), Array("{\"a\":1,}".utf8), Array("01".utf8), Array("1.".utf8),
      Array("-".utf8), Array("tru".utf8), Array("\"abc".utf8), Array("\"\\x\"".utf8), Array("\"\\ud800\"".utf8),
      Array("\"\\udc00\"".utf8), Array("\"\\ud800\\u0041\"".utf8), Array("{\"a\":1,\"a\":2}".utf8), Array("1 2".utf8),
      [0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
      [0x22, 0xE2, 0x82, 0x22], [0x22, 0x01, 0x22], Array(repeating: UInt8(ascii: "["), count: 1000),
    ]
    for input in bad {
      XCTAssertThrowsError(try parse(input), "accepted \(input)")
    }
  }

  func testValidMultibyte() throws {
    XCTAssertEqual(try parse([0x22, 0xF0, 0x9F, 0x98, 0x80, 0xE4, 0xB8, 0xAD, 0xC3, 0xA9, 0x22]), .string("😀中é"))
  }

  func testDuplicateKeysInLargeObjects() {
    let members = (0..<30).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    XCTAssertNoThrow(try parse("{\(members)}"))
    XCTAssertThrowsError(try parse("{\(members),\"k3\":0}"))
  }

  func testWriterRoundTripAndEscaping() throws {
    let value: JSONValue = [
      "s": "line\nbreak \u{2028} \u{2029} \u{1} / \"q\" é😀", "n": .number("1.50"), "a": [nil, true],
    ]
    let bytes = JSONWriter.encode(value)
    let text = String(decoding: bytes, as: UTF8.self)
    XCTAssertTrue(
      text.contains("\\u2028") && text.contains("\\u2029") && text.contains("\\u0001") && text.contains(" / "))
    XCTAssertFalse(bytes.contains(0x0A))
    XCTAssertEqual(try JSONParser.parse(bytes), value)
  }
}
