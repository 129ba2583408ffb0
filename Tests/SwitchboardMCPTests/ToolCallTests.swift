import Foundation
import JSON
import JSONRPC
import Synchronization
import XCTest

@testable import SwitchboardMCP

/// Reading a `tools/call`, and relaying its progress.
final class ToolCallTests: XCTestCase {
  func testArgumentsAreKeptExactlyAsWritten() throws {
    let params = try JSONParser.parse(
      Array(
        #"{"name":"getNumber","arguments":{"name":"data:,x","n":12345678901234567890,"f":1.50},"_meta":{"progressToken":7}}"#
          .utf8))
    let call = try ToolCall(params)
    XCTAssertEqual(call.spec.name, "getNumber")
    XCTAssertEqual(
      String(decoding: JSONWriter.encode(call.arguments), as: UTF8.self),
      #"{"name":"data:,x","n":12345678901234567890,"f":1.50}"#)
    XCTAssertEqual(call.progressToken, .number("7"))
    XCTAssertEqual(try ToolCall(["name": "listProfiles"]).arguments, .object([:]))
    XCTAssertNil(try ToolCall(["name": "listProfiles"]).progressToken)
  }

  func testMalformedCallsAreInvalidParams() {
    for params: JSONValue? in [
      nil, ["name": 3], ["name": "nope"], ["name": "clearCredentials"], ["name": "getNumber", "arguments": "x"],
    ] {
      XCTAssertThrowsError(try ToolCall(params)) { error in
        XCTAssertEqual((error as? RPCError)?.code, RPCError.invalidParamsCode)
      }
    }
  }

  func testProgressOnlyIncreasesAndPartialResultsAreKept() throws {
    let sent = Mutex<[JSONValue]>([])
    let relay = ProgressRelay(token: "t") { frame in
      sent.withLock { $0.append((try? JSONParser.parse(frame)) ?? .null) }
    }
    relay.receive(.workDone(["kind": "begin", "title": "Listing"]))
    relay.receive(.partialResult([1, 2]))
    relay.receive(.workDone(["kind": "report", "percentage": 40, "message": "2 numbers"]))
    relay.receive(.workDone(["kind": "report", "percentage": 40]))
    relay.receive(.partialResult(3))
    relay.receive(.workDone(["kind": "end"]))
    XCTAssertEqual(relay.finish(), [1, 2, 3])
    relay.receive(.workDone(["kind": "report", "percentage": 100]))
    let frames = sent.withLock { $0 }
    XCTAssertEqual(frames.map { $0["method"] }, Array(repeating: "notifications/progress", count: 3))
    XCTAssertEqual(
      frames.map { $0["params"] },
      [
        ["progressToken": "t", "progress": 0, "total": 100, "message": "Listing"],
        ["progressToken": "t", "progress": 40, "total": 100, "message": "2 numbers"],
        ["progressToken": "t", "progress": 100, "total": 100],
      ])
  }
}
