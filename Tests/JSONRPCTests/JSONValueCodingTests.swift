import XCTest

@testable import JSONRPC

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
      try decoder.decode(Params.self, from: ["name": "a", "count": .number("2.0"), "nested": ["items": [1, 2]], "workDoneToken": 1]),
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

  func testIncomingMessageClassification() {
    XCTAssertEqual(IncomingMessage(["jsonrpc": "2.0", "id": 1, "method": "m"]), .request(id: .number("1"), method: "m", params: nil))
    XCTAssertEqual(IncomingMessage(["jsonrpc": "2.0", "method": "m", "params": []]), .notification(method: "m", params: .array([])))
    XCTAssertEqual(IncomingMessage(["jsonrpc": "2.0", "id": nil, "method": "m"]), .request(id: .null, method: "m", params: nil))
    XCTAssertEqual(IncomingMessage(["jsonrpc": "2.0", "id": 1, "result": 1]), .response(id: .number("1")))
    guard case .invalid(.number("1"), _) = IncomingMessage(["jsonrpc": "2.1", "id": 1, "method": "m"]) else { return XCTFail() }
    guard case .invalid(.null, _) = IncomingMessage(["jsonrpc": "2.0", "id": true, "method": "m"]) else { return XCTFail() }
    guard case .invalid(.null, _) = IncomingMessage(.number("3")) else { return XCTFail() }
  }

  func testOutgoingMessagesHaveExplicitNulls() {
    XCTAssertEqual(String(decoding: OutgoingMessage.result(id: .null, encodedResult: Array("null".utf8)), as: UTF8.self),
      #"{"jsonrpc":"2.0","id":null,"result":null}"#)
    XCTAssertEqual(String(decoding: OutgoingMessage.error(id: .string("x"), .requestCancelled), as: UTF8.self),
      #"{"jsonrpc":"2.0","id":"x","error":{"code":-32800,"message":"Request cancelled."}}"#)
  }
}
