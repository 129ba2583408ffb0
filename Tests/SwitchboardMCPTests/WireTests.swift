import Foundation
import JSON
import JSONRPC
import XCTest

@testable import SwitchboardMCP

/// The frame rewriting between the SDK and the pipes (see WireAdapter, RawResults, PendingReplies).
final class WireTests: XCTestCase {
  private func json(_ data: Data) throws -> JSONValue { try JSONParser.parse(Array(data)) }

  func testOlderProtocolVersionsReachTheSDKAsUnknown() throws {
    func asked(_ version: String) throws -> String? {
      let frame = Data(
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"\#(version)","capabilities":{}}}"#
          .utf8)
      return try json(WireAdapter.incoming(frame, pending: PendingReplies()))["params"]?["protocolVersion"]?.stringValue
    }
    XCTAssertEqual(try asked("2025-06-18"), "2025-06-18")
    XCTAssertEqual(try asked("2025-11-25"), "2025-11-25")
    XCTAssertEqual(try asked("2024-11-05"), "unsupported:2024-11-05")
    XCTAssertEqual(try asked("2025-03-26"), "unsupported:2025-03-26")
  }

  func testToolArgumentsTravelAsTheirJSONText() throws {
    let frame = Data(
      #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"getNumber","arguments":{"name":"data:,x","n":12345678901234567890},"_meta":{"progressToken":"p"}}}"#
        .utf8)
    let params = try json(WireAdapter.incoming(frame, pending: PendingReplies()))["params"]
    XCTAssertEqual(params?["arguments"], .object([:]))
    XCTAssertEqual(params?["_meta"]?["progressToken"], "p")
    let raw = try XCTUnwrap(params?["_meta"]?[WireAdapter.argumentsKey]?.stringValue)
    XCTAssertEqual(raw, #"{"name":"data:,x","n":12345678901234567890}"#)
  }

  func testOtherFramesPassUntouched() {
    let frame = Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#.utf8)
    XCTAssertEqual(WireAdapter.incoming(frame, pending: PendingReplies()), frame)
  }

  func testHeldResultsAreSplicedInOnce() throws {
    let results = RawResults()
    let token = results.hold(["numbers": [1, 2], "name": "Caf\u{e9}"])
    let frame = Data(#"{"id":3,"jsonrpc":"2.0","result":{"content":[],"structuredContent":"\#(token)"}}"#.utf8)
    let spliced = results.splice(frame)
    XCTAssertEqual(try json(spliced)["result"]?["structuredContent"], ["numbers": [1, 2], "name": "Caf\u{e9}"])
    // The bytes are released with the frame: a second frame naming the token is left as it is.
    XCTAssertEqual(results.splice(frame), frame)
    let plain = Data(
      #"{"id":4,"jsonrpc":"2.0","result":{"content":[{"type":"text","text":"switchboard-raw: no"}]}}"#.utf8)
    XCTAssertEqual(results.splice(plain), plain)
  }

  func testRepliesAreTrackedUntilWritten() async throws {
    let pending = PendingReplies()
    pending.received(["jsonrpc": "2.0", "id": 5, "method": "tools/call"])
    pending.received(["jsonrpc": "2.0", "id": "s", "method": "tools/call"])
    pending.received(["jsonrpc": "2.0", "method": "notifications/initialized"])
    let notDone = await pending.drain(within: .milliseconds(30))
    XCTAssertFalse(notDone)
    // a result (read from its prefix only) and an error reply
    pending.sent(Data(#"{"id":5,"jsonrpc":"2.0","result":{"structuredContent":"…"}}"#.utf8))
    pending.received(["jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": "s"]])
    let done = await pending.drain(within: .milliseconds(30))
    XCTAssertTrue(done)
    XCTAssertEqual(
      PendingReplies.responseID(Data(#"{"error":{"code":-32602,"message":"x"},"id":"e","jsonrpc":"2.0"}"#.utf8)), "e")
    XCTAssertNil(
      PendingReplies.responseID(Data(#"{"jsonrpc":"2.0","method":"notifications/progress","params":{}}"#.utf8)))
  }
}
