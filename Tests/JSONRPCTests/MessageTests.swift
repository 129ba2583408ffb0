import JSON
import XCTest

@testable import JSONRPC

/// Classifying incoming messages and writing outgoing ones.
final class MessageTests: XCTestCase {
  func testIncomingMessageClassification() {
    XCTAssertEqual(
      IncomingMessage(["jsonrpc": "2.0", "id": 1, "method": "m"]), .request(id: .number("1"), method: "m", params: nil))
    XCTAssertEqual(
      IncomingMessage(["jsonrpc": "2.0", "method": "m", "params": []]), .notification(method: "m", params: .array([])))
    XCTAssertEqual(
      IncomingMessage(["jsonrpc": "2.0", "id": nil, "method": "m"]), .request(id: .null, method: "m", params: nil))
    XCTAssertEqual(IncomingMessage(["jsonrpc": "2.0", "id": 1, "result": 1]), .response(id: .number("1")))
    guard case .invalid(.number("1"), _) = IncomingMessage(["jsonrpc": "2.1", "id": 1, "method": "m"]) else {
      return XCTFail()
    }
    guard case .invalid(.null, _) = IncomingMessage(["jsonrpc": "2.0", "id": true, "method": "m"]) else {
      return XCTFail()
    }
    guard case .invalid(.null, _) = IncomingMessage(.number("3")) else { return XCTFail() }
  }

  func testOutgoingMessagesHaveExplicitNulls() {
    XCTAssertEqual(
      String(decoding: OutgoingMessage.result(id: .null, encodedResult: Array("null".utf8)), as: UTF8.self),
      #"{"jsonrpc":"2.0","id":null,"result":null}"#)
    XCTAssertEqual(
      String(decoding: OutgoingMessage.error(id: .string("x"), .requestCancelled), as: UTF8.self),
      #"{"jsonrpc":"2.0","id":"x","error":{"code":-32800,"message":"Request cancelled."}}"#)
  }
}
