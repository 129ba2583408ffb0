import Foundation
import XCTest

@testable import JSON

/// `JSONBytesEncoder` must give exactly the bytes of the tree path
/// (`JSONWriter.encode(JSONValueEncoder().encode(value))`), whatever the value.
final class JSONBytesEncoderTests: XCTestCase {
  private func tree<T: Encodable>(_ value: T) throws -> String {
    String(decoding: JSONWriter.encode(try JSONValueEncoder().encode(value)), as: UTF8.self)
  }

  private func direct<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONBytesEncoder().encode(value), as: UTF8.self)
  }

  /// Asserts both paths agree and, when given, equal `expected`.
  private func check<T: Encodable>(
    _ value: T, _ expected: String? = nil, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let old = try tree(value)
    let new = try direct(value)
    XCTAssertEqual(new, old, file: file, line: line)
    if let expected { XCTAssertEqual(new, expected, file: file, line: line) }
    // Appending to a buffer that already holds bytes keeps them and adds the same encoding.
    var buffer = Array("prefix:".utf8)
    try JSONBytesEncoder().encode(value, appendingTo: &buffer)
    XCTAssertEqual(String(decoding: buffer, as: UTF8.self), "prefix:" + old, file: file, line: line)
  }

  /// Whether `value` is written by the stream itself (not handed to the tree path).
  private func streams<T: Encodable>(_ value: T) throws -> Bool {
    let state = StreamState(JSONWriter())
    try state.encodeValue(value, in: CodingPathTail(base: [], last: nil), at: nil)
    return !state.unsupported
  }

  func testOrdinaryEncodingsStreamWithoutFallingBack() throws {
    XCTAssertTrue(try streams(Listing(numbers: [], count: 0, vapiChecked: true)))
    XCTAssertTrue(try streams(Handwritten()))
    XCTAssertTrue(try streams(Optionals(a: "x", e: Capabilities(voice: true, sms: true, mms: true, fax: true))))
    XCTAssertTrue(try streams(["k": [1, 2]] as [String: [Int]]))
    XCTAssertTrue(try streams(Empty()))
    XCTAssertFalse(try streams(DuplicateKey()))
    XCTAssertFalse(try streams(LateWrite()))
    XCTAssertFalse(try streams(Derived()))
    XCTAssertFalse(try streams(TwoValues()))
  }

  struct Capabilities: Encodable { var voice, sms, mms, fax: Bool }
  struct Listed: Encodable {
    var sid: String
    var phoneNumber: String
    var friendlyName: String
    var capabilities: Capabilities
    var imported: Bool
    var vapiId: String?
  }
  struct Listing: Encodable {
    var numbers: [Listed]
    var count: Int
    var vapiChecked: Bool
  }

  func testListingShapedValues() throws {
    let numbers = (0..<50).map { i in
      Listed(
        sid: "PN\(i)", phoneNumber: "+1415555\(1000 + i)", friendlyName: i % 3 == 0 ? "Support \"line\" \(i)" : "",
        capabilities: Capabilities(voice: true, sms: i % 2 == 0, mms: false, fax: i % 5 == 0), imported: i % 4 == 0,
        vapiId: i % 4 == 0 ? "id-\(i)" : nil)
    }
    try check(Listing(numbers: numbers, count: numbers.count, vapiChecked: true))
    try check(Listing(numbers: [], count: 0, vapiChecked: false), #"{"numbers":[],"count":0,"vapiChecked":false}"#)
  }

  func testStringEscapingAndUnicode() throws {
    let strings = [
      "", "plain", "quote \" backslash \\ slash /", "\n\r\t\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}",
      "line\u{2028}para\u{2029}end", "\u{E2}\u{80}", "é ü 漢字 🎉 \u{10FFFF}", "a\u{2028}", "\u{2029}",
      String(repeating: "long string with \"escapes\" \u{2028} ", count: 200),
    ]
    for string in strings { try check(string) }
    try check(strings)
    try check(["k\"ey\n\u{2028}": "v", "漢": "字"] as [String: String])
  }

  func testNumbers() throws {
    try check(
      [0, 1, -1, 9, 10, -10, 123_456_789, Int.max, Int.min], "[0,1,-1,9,10,-10,123456789,\(Int.max),\(Int.min)]")
    try check([Int64.max, Int64.min, 0, -7])
    try check([
      0.0, -0.0, 1.5, -2.25, 3.0, 1e14, 999_999_999_999_999.0, 1e15, 1e16, 1e300, 0.1, Double.leastNonzeroMagnitude,
    ])
    try check(Double.pi)
    try check(["d": 2.0, "e": 2.5])
  }

  struct Optionals: Encodable {
    var a: String?
    var b: Int?
    var c: Bool?
    var d: Double?
    var e: Capabilities?
    var f: [Int]?
    var g: String??
    var h: JSONValue?
  }

  func testNestedOptionals() throws {
    try check(Optionals(), "{}")
    try check(
      Optionals(
        a: "x", b: 1, c: false, d: 0.5, e: Capabilities(voice: true, sms: false, mms: true, fax: false), f: [],
        g: .some(nil), h: .null))
    try check(Optionals(g: .some("y"), h: ["k": [1, "two", nil, true]]))
    try check([nil, 1, nil] as [Int?], "[null,1,null]")
    try check([[String?]]([["a", nil], [], [nil]]))
    try check(Optional<Int>.none, "null")
    try check([String: Int?](dictionaryLiteral: ("k", nil)))
  }

  func testEmptyContainersAndBareScalars() throws {
    try check([Int](), "[]")
    try check([String: Int](), "{}")
    try check([[Int]]([[], [], [1]]), "[[],[],[1]]")
    try check(true, "true")
    try check("s", #""s""#)
    try check(42, "42")
    try check(Empty(), "{}")
    try check(OnlySingle(), "{}")
    try check([Empty(), Empty()], "[{},{}]")
    try check(Nothing(), "null")
  }

  struct Empty: Encodable {}
  /// Asks for a single-value container and writes nothing: the tree path gives `{}`.
  struct OnlySingle: Encodable {
    func encode(to encoder: any Encoder) throws { _ = encoder.singleValueContainer() }
  }
  struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    }
  }

  func testJSONValuesAndDates() throws {
    let value: JSONValue = [
      "n": .number("1.0"), "big": .number("92233720368547758070"), "s": "\u{2028}", "a": [[], [:], nil],
      "o": ["x": ["y": ["z": false]]],
    ]
    try check(value)
    try check(["wrapped": value])
    try check([value, value])
    // Foundation's Date encodes as a Double (seconds since 2001).
    try check(Date(timeIntervalSinceReferenceDate: 12345.5))
    try check([Date(timeIntervalSinceReferenceDate: 0), Date(timeIntervalSinceReferenceDate: -1e9)])
  }

  /// Hand-written encoders: nested keyed and unkeyed containers, a container asked for twice,
  /// members after a nested container, explicit nulls.
  struct Handwritten: Encodable {
    enum Keys: String, CodingKey { case a, nested, list, after, z }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encode("1", forKey: .a)
      var nested = c.nestedContainer(keyedBy: DynamicKey.self, forKey: .nested)
      try nested.encode(1, forKey: DynamicKey(stringValue: "x"))
      try nested.encodeNil(forKey: DynamicKey(stringValue: "y"))
      var deeper = nested.nestedUnkeyedContainer(forKey: DynamicKey(stringValue: "deep"))
      try deeper.encode(true)
      var inner = deeper.nestedContainer(keyedBy: DynamicKey.self)
      try inner.encode("v", forKey: DynamicKey(stringValue: "k"))
      try deeper.encodeNil()
      var innerList = deeper.nestedUnkeyedContainer()
      try innerList.encode(2.5)
      var list = c.nestedUnkeyedContainer(forKey: .list)
      try list.encode(contentsOf: [1, 2, 3])
      try c.encodeNil(forKey: .after)
      // The same container asked for again: members continue the same object.
      var again = encoder.container(keyedBy: Keys.self)
      try again.encode(false, forKey: .z)
    }
  }

  func testHandwrittenContainers() throws {
    try check(
      Handwritten(),
      #"{"a":"1","nested":{"x":1,"y":null,"deep":[true,{"k":"v"},null,[2.5]]},"list":[1,2,3],"after":null,"z":false}"#)
    try check([Handwritten(), Handwritten()])
  }

  /// Out-of-order uses the stream cannot write: each must still come out as the tree path writes it.
  struct DuplicateKey: Encodable {
    enum Keys: String, CodingKey { case a, b }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encode(1, forKey: .a)
      try c.encode(2, forKey: .b)
      try c.encode(3, forKey: .a)
    }
  }
  struct LateWrite: Encodable {
    enum Keys: String, CodingKey { case first, second, third }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      var first = c.nestedContainer(keyedBy: Keys.self, forKey: .first)
      var second = c.nestedUnkeyedContainer(forKey: .second)
      try first.encode("late", forKey: .third)  // `first` was closed when `second` began
      try second.encode(1)
    }
  }
  class Base: Encodable {
    var base = 1
  }
  final class Derived: Base {
    var own = "x"
    enum Keys: String, CodingKey { case own }
    override func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encode(own, forKey: .own)
      try super.encode(to: c.superEncoder())
    }
  }
  struct TwoValues: Encodable {
    func encode(to encoder: any Encoder) throws {
      var single = encoder.singleValueContainer()
      try single.encode(1)
      var keyed = encoder.container(keyedBy: DynamicKey.self)
      try keyed.encode(2, forKey: DynamicKey(stringValue: "k"))
    }
  }
  struct Throws: Encodable {
    struct Failure: Error {}
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: DynamicKey.self)
      try c.encode(1, forKey: DynamicKey(stringValue: "ok"))
      throw Failure()
    }
  }

  func testOutOfOrderEncodingsFallBackToTheTreePath() throws {
    try check(DuplicateKey(), #"{"a":3,"b":2}"#)
    try check(LateWrite())
    try check(Derived())
    try check(["x": Derived()])
    try check(TwoValues())
    try check([LateWrite(), LateWrite()])
    XCTAssertThrowsError(try JSONBytesEncoder().encode(Throws())) { XCTAssertTrue($0 is Throws.Failure) }
    XCTAssertThrowsError(try JSONBytesEncoder().encode([1.0, .infinity])) { XCTAssertTrue($0 is EncodingError) }
    XCTAssertThrowsError(try JSONBytesEncoder().encode(["x": Double.nan])) { XCTAssertTrue($0 is EncodingError) }
  }

  func testLargeListingMatchesTreePath() throws {
    let numbers = (0..<10_000).map { i in
      Listed(
        sid: String(format: "PN%032x", i), phoneNumber: "+1415\(String(format: "%07d", i))",
        friendlyName: "(415) \(i)", capabilities: Capabilities(voice: true, sms: i % 2 == 0, mms: false, fax: false),
        imported: i % 3 == 0, vapiId: i % 3 == 0 ? UUID().uuidString : nil)
    }
    let listing = Listing(numbers: numbers, count: numbers.count, vapiChecked: true)
    XCTAssertEqual(try JSONBytesEncoder().encode(listing), JSONWriter.encode(try JSONValueEncoder().encode(listing)))
  }

  func testWriteIntegerMatchesStringConversion() {
    for value in [0, 5, 10, 99, 100, -1, -99, 1_000_000, Int.max, Int.min, Int.max - 1, Int.min + 1] {
      var writer = JSONWriter()
      writer.writeInteger(value)
      XCTAssertEqual(String(decoding: writer.bytes, as: UTF8.self), String(value))
    }
  }

  struct Prebuilt: Encodable {
    var numbers: JSONFragment
    var count: Int
  }

  /// An array built element by element (`JSONArrayBuilder`) and spliced in as a fragment gives the
  /// bytes of the same array encoded whole, on both paths.
  func testArrayBuiltPieceByPieceMatchesTheWholeArray() throws {
    for size in [0, 1, 2, 57] {
      let numbers = (0..<size).map { i in
        Listed(
          sid: "PN\(i)", phoneNumber: "+1\(i)", friendlyName: "\u{2028}\"\(i)",
          capabilities: Capabilities(voice: true, sms: false, mms: i % 2 == 0, fax: false), imported: i % 2 == 1,
          vapiId: i % 2 == 1 ? "v\(i)" : nil)
      }
      var builder = JSONArrayBuilder()
      for number in numbers { try builder.append(number) }
      XCTAssertEqual(builder.count, size)
      let prebuilt = Prebuilt(numbers: builder.finish(), count: size)
      let whole = Listing(numbers: numbers, count: size, vapiChecked: true)
      let expected = try direct(whole).replacingOccurrences(of: #","vapiChecked":true"#, with: "")
      try check(prebuilt, expected)
      XCTAssertTrue(try streams(prebuilt))
    }
  }

  /// A large fragment's buffer becomes the output (what came before is moved in front of it): the
  /// bytes are those of the whole array encoded at once, on the first encoding.
  func testLargeFragmentIsAdoptedWithTheSameBytes() throws {
    let numbers = (0..<3000).map { i in
      Listed(
        sid: "PN\(i)", phoneNumber: "+1\(i)", friendlyName: "name \(i)",
        capabilities: Capabilities(voice: true, sms: false, mms: false, fax: false), imported: false, vapiId: nil)
    }
    var builder = JSONArrayBuilder()
    for number in numbers { try builder.append(number) }
    let fragment = builder.finish()
    XCTAssertGreaterThan(fragment.bytes.count, StreamState.adoptedFragmentBytes)
    let expected = try tree(Listing(numbers: numbers, count: 3000, vapiChecked: true))
      .replacingOccurrences(of: #","vapiChecked":true"#, with: "")
    var reply = Array(#"{"jsonrpc":"2.0","id":1,"result":"#.utf8)
    reply.reserveCapacity(1 << 20)
    try JSONBytesEncoder().encode(Prebuilt(numbers: fragment, count: 3000), appendingTo: &reply)
    XCTAssertEqual(String(decoding: reply, as: UTF8.self), #"{"jsonrpc":"2.0","id":1,"result":"# + expected)
  }

  /// An encoding that falls back to the tree path after a large fragment was adopted gives the
  /// fragment its bytes back first: the output is the tree path's.
  struct FragmentThenDuplicate: Encodable {
    let fragment: JSONFragment
    enum Keys: String, CodingKey { case a, big }
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encode(1, forKey: .a)
      try c.encode(fragment, forKey: .big)
      try c.encode(2, forKey: .a)
    }
  }

  func testFallbackAfterAnAdoptedFragmentRestoresIt() throws {
    var builder = JSONArrayBuilder()
    for i in 0..<20_000 { try builder.append("item \(i) \u{2028}") }
    let bytes = builder.finish().bytes
    let adopted = FragmentThenDuplicate(fragment: JSONFragment(bytes: bytes))
    let reference = FragmentThenDuplicate(fragment: JSONFragment(bytes: bytes))
    let direct = try JSONBytesEncoder().encode(adopted)
    XCTAssertEqual(String(decoding: direct, as: UTF8.self), try tree(reference))
    XCTAssertEqual(adopted.fragment.bytes, bytes)
  }
}
