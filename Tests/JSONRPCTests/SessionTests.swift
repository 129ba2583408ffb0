import Foundation
import JSON
import XCTest

@testable import JSONRPC

/// The session over an `InMemoryTransport`: framing splits, cancellation, ids, batches,
/// lifecycle and the output budget, each defect of issue 15 included.
final class SessionTests: XCTestCase {
  func testByteByByteAndRandomSplitsGiveTheSameReplies() {
    let h = SessionHarness()
    var input: [UInt8] = []
    for i in 1...20 { input += Array(h.request(i, "test/echo", #"{"value":"é😀\#(i)"}"#).utf8) }
    for byte in input.prefix(input.count / 2) { h.write([byte]) }
    var rest = Array(input.dropFirst(input.count / 2))
    var rng = SystemRandomNumberGenerator()
    while !rest.isEmpty {
      let n = min(rest.count, Int.random(in: 1...17, using: &rng))
      h.write(Array(rest.prefix(n)))
      rest.removeFirst(n)
    }
    let replies = h.replies(20)
    for i in 1...20 { XCTAssertEqual(replies["\(i)"]?["result"], .string("é😀\(i)")) }
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testCancelBeforeDispatchAnswersWithoutRunning() {
    let h = SessionHarness()
    h.write(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":7}}"# + "\n")
    h.write(h.request(7, "test/sleep", #"{"ms":10000}"#))
    XCTAssertEqual(code(h.message()), RPCError.requestCancelledCode)
    XCTAssertEqual(h.runs.value, 0)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testCancelInFlight() {
    let h = SessionHarness()
    h.write(h.request(1, "test/sleep", #"{"ms":10000}"#))
    h.write(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}}"# + "\n")
    XCTAssertEqual(code(h.message()), RPCError.requestCancelledCode)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testManyUnknownCancelsThenPing() {
    let h = SessionHarness()
    var chunk = ""
    for i in 0..<20_000 {
      chunk += #"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"u\#(i)"}}"# + "\n"
      if i % 1000 == 999 {
        h.write(chunk)
        chunk = ""
      }
    }
    h.write(h.request(1, "ping"))
    XCTAssertEqual(h.message()["result"], .object([:]))
    XCTAssertEqual(h.connection.state.withLock { $0.cancels.earlyCount }, CancelLedger.earlyCapacity)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testDuplicateInFlightIdIsAnsweredWithNullId() {
    let h = SessionHarness()
    h.write(h.request(5, "test/sleep", #"{"ms":300}"#))
    h.write(h.request(5, "ping"))
    let refusal = h.message()
    XCTAssertEqual(refusal["id"], .null)
    XCTAssertEqual(code(refusal), RPCError.invalidRequestCode)
    XCTAssertEqual(refusal["error"]?["data"]?["id"], .number("5"))
    let original = h.message()
    XCTAssertEqual(original["id"], .number("5"))
    XCTAssertNotNil(original["result"])
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testParamsNullIsAbsentAndArraysAreRefused() {
    let h = SessionHarness()
    h.write(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":null}"# + "\n")
    XCTAssertEqual(h.message()["result"], .object([:]))
    h.write(#"{"jsonrpc":"2.0","id":2,"method":"ping","params":[]}"# + "\n")
    XCTAssertEqual(code(h.message()), RPCError.invalidParamsCode)
    h.write(#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":[]}"# + "\n")
    XCTAssertEqual(code(h.message()), RPCError.invalidParamsCode)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testInitializeShutdownExitWithNullParams() {
    let h = SessionHarness()
    h.write(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"capabilities":{}}}"# + "\n")
    XCTAssertNotNil(h.message()["result"]?["serverInfo"])
    h.write(#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"# + "\n")
    XCTAssertEqual(h.message()["result"], .null)
    h.write(#"{"jsonrpc":"2.0","method":"exit","params":null}"# + "\n")
    XCTAssertEqual(h.end(), .exit(status: 0))
  }

  func testWorkDoneTokenIsAcceptedEverywhereAndUnknownNamesAreBounded() {
    let h = SessionHarness()
    h.write(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"workDoneToken":"w"}}"# + "\n")
    XCTAssertEqual(h.message()["result"], .object([:]))
    let name = String(repeating: "n", count: 100_000)
    h.write(#"{"jsonrpc":"2.0","id":2,"method":"ping","params":{"\#(name)":1}}"# + "\n")
    let reply = h.message()
    XCTAssertEqual(code(reply), RPCError.invalidParamsCode)
    XCTAssertLessThan(JSONWriter.encode(reply).count, 1000)
    h.write(h.request(3, String(repeating: "m", count: 100_000)))
    let missing = h.message()
    XCTAssertEqual(code(missing), RPCError.methodNotFoundCode)
    XCTAssertLessThan(JSONWriter.encode(missing).count, 1000)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testBatchesAnswerTogetherAndAreBounded() {
    let h = SessionHarness(maxBatchItems: 100, batchReplyLimitBytes: 10_000)
    h.write(
      #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"initialized"},{"jsonrpc":"2.0","id":2,"method":"test/echo","params":{"value":2}}]"#
        + "\n")
    guard case .array(let items) = h.message() else { return XCTFail("not a batch reply") }
    XCTAssertEqual(items.count, 2)
    // Too many items: one error, nothing runs.
    let runsBefore = h.runs.value
    let many = (0..<101).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"ping"}"# }.joined(separator: ",")
    h.write("[" + many + "]\n")
    let refused = h.message()
    XCTAssertEqual(refused["id"], .null)
    XCTAssertEqual(refused["error"]?["data"]?["limitItems"], .number("100"))
    XCTAssertEqual(h.runs.value, runsBefore)
    // Replies past the byte limit are replaced by short errors.
    let big = (0..<10).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"test/blob","params":{"bytes":3000}}"# }
      .joined(separator: ",")
    h.write("[" + big + "]\n")
    guard case .array(let replies) = h.message() else { return XCTFail("not a batch reply") }
    XCTAssertEqual(replies.count, 10)
    XCTAssertEqual(replies.filter { $0["result"] != nil }.count, 3)
    XCTAssertEqual(replies.filter { code($0) == RPCError.invalidRequestCode }.count, 7)
    // rpc.discover in a batch is an ordinary request.
    h.write(#"[{"jsonrpc":"2.0","id":"d","method":"rpc.discover"}]"# + "\n")
    guard case .array(let discover) = h.message() else { return XCTFail("not a batch reply") }
    XCTAssertNotNil(discover.first?["result"]?["openrpc"])
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testShutdownUnderLoadCancelsEverythingThenRefuses() {
    let h = SessionHarness()
    for i in 1...50 { h.write(h.request(i, "test/sleep", #"{"ms":20000}"#)) }
    h.write(h.request(100, "shutdown"))
    h.write(h.request(101, "ping"))
    let replies = h.replies(52)
    for i in 1...50 { XCTAssertEqual(code(replies["\(i)"] ?? .null), RPCError.serverCancelledCode, "\(i)") }
    XCTAssertEqual(replies["100"]?["result"], .null)
    XCTAssertEqual(code(replies["101"] ?? .null), RPCError.invalidRequestCode)
    h.write(#"{"jsonrpc":"2.0","method":"exit"}"# + "\n")
    XCTAssertEqual(h.end(), .exit(status: 0))
  }

  func testAHostThatStopsReadingStopsTheReaderWithinTheBudget() {
    let budget = 1 << 20
    let h = SessionHarness(budgetBytes: budget, outputCapacity: 16 << 10)
    let requests = 2000
    var input = ""
    for i in 0..<requests { input += h.request(i, "test/blob", #"{"bytes":20000}"#) }
    let all = input
    let writer = Thread { h.write(all) }
    writer.start()
    // Nobody reads: the session must stop reading input instead of queueing every reply.
    var settled = 0
    for _ in 0..<100 {
      Thread.sleep(forTimeInterval: 0.02)
      XCTAssertLessThanOrEqual(h.transport.budget.queuedBytes, 2 * budget)
      settled = h.runs.value
    }
    XCTAssertLessThan(settled, requests / 2, "the reader went on admitting requests")
    // Reading again lets everything through.
    let replies = h.replies(requests)
    XCTAssertEqual(replies.count, requests)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testContentLengthResynchronisesAndServesBareLines() {
    let h = SessionHarness()
    let ping = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
    h.write("Content-Length: \(ping.utf8.count)\r\n\r\n\(ping)")
    XCTAssertEqual(h.message()["result"], .object([:]))
    h.write("Content-Length: -3\r\n\r\n{\"junk\":1}")
    h.write("Content-Length: 4611686018427387904\r\n\r\n")
    for i in 2...21 {
      let body = #"{"jsonrpc":"2.0","id":\#(i),"method":"ping"}"#
      h.write("Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
    }
    h.write(#"{"jsonrpc":"2.0","id":99,"method":"ping"}"# + "\n")
    let messages = h.messages(23)
    XCTAssertEqual(messages.filter { code($0) == RPCError.invalidRequestCode }.count, 2)
    XCTAssertEqual(messages.filter { $0["result"] != nil }.count, 21)
    XCTAssertEqual(h.finish(), .endOfInput)
  }

  func testHostClosingOutputEndsTheSession() {
    let h = SessionHarness()
    h.transport.hostOutput.closeReading()
    h.write(h.request(1, "ping"))
    XCTAssertEqual(h.end(), .outputClosed)
  }
}
