import XCTest

@testable import JSON

final class JSONValueCodingTests: XCTestCase {
  struct Params: Codable, Equatable {
    var name: String
    var count: Int?
    var nested: Nested?
    struct Nested: Codable, Equatable { var items: [Int] }
  }

  func testDecodesAndRejectsUnknownMembersWithPointers() throws {
    let decoder = JSONValueDecoder(allowedTopLevelKeys: ["workDoneToken"])
    XCTAssertEqual(
      try decoder.decode(
        Params.self, from: ["name": "a", "count": .number("2.0"), "nested": ["items": [1, 2]], "workDoneToken": 1]),
      Params(name: "a", count: 2, nested: .init(items: [1, 2])))
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["name": "a", "nested": ["items": [1], "extra": 1]])) {
      XCTAssertEqual($0 as? ParamsError, ParamsError(pointer: "/nested/extra", reason: "unknown member"))
    }
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["name": "a", "nested": ["items": [1, "x"]]])) {
      XCTAssertEqual($0 as? ParamsError, ParamsError(pointer: "/nested/items/1", reason: "expected an integer"))
    }
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["count": 1])) {
      XCTAssertEqual($0 as? ParamsError, ParamsError(pointer: "/name", reason: "required"))
    }
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["name": "a", "count": .number("2.5")])) {
      XCTAssertEqual(($0 as? ParamsError)?.pointer, "/count")
    }
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["name": .null])) {
      XCTAssertEqual(($0 as? ParamsError)?.pointer, "/name")
    }
    XCTAssertThrowsError(try decoder.decode(Params.self, from: ["a/b~c": 1, "name": "x"])) {
      XCTAssertEqual(($0 as? ParamsError)?.pointer, "/a~1b~0c")
    }
  }

  func testEncoderKeepsOrderAndOmitsNil() throws {
    let value = try JSONValueEncoder().encode(Params(name: "n", count: nil, nested: .init(items: [3])))
    XCTAssertEqual(String(decoding: JSONWriter.encode(value), as: UTF8.self), #"{"name":"n","nested":{"items":[3]}}"#)
  }
}
