import Foundation
import JSON
import JSONRPC
import Synchronization
import XCTest

@testable import SwitchboardMCP

/// A stand-in for the `listProfiles` tool that takes `ms` to answer, so calls can be cancelled or drained.
enum SlowProfilesMethod: RPCMethod {
  struct Params: Decodable, Sendable { var ms: Int }
  typealias Result = JSONValue
  static let name = "listProfiles"
  static let summary = "Sleeps, then lists no profile."
  static let params = [ContentDescriptor("ms", .integer(minimum: 0), required: true)]
  static let result = ContentDescriptor("r", .object([], open: true), required: true)
}

/// Counts the slow calls that were cancelled.
final class CancelCounter: Sendable {
  private let count = Atomic<Int>(0)
  func bump() { count.add(1, ordering: .relaxed) }
  var value: Int { count.load(ordering: .relaxed) }
}

/// `MCPSession` over the engine's in-memory transport: lifecycle, errors, cancellation, drain.
final class MCPSessionTests: XCTestCase {
  private func slowRouter(cancelled: CancelCounter? = nil) -> Router {
    var router = Router()
    router.register(SlowProfilesMethod.self) { params, _ in
      do {
        try await Task.sleep(for: .milliseconds(params.ms))
      } catch {
        cancelled?.bump()
        throw error
      }
      return ["profiles": .array([])]
    }
    return router
  }

  func testRequestsBeforeInitializeAreRefusedButPingIsAnswered() {
    let mcp = MCPHarness()
    mcp.request(1, "tools/list")
    XCTAssertEqual(errorCode(mcp.next()), -32600)
    mcp.request(2, "tools/call", #"{"name":"listProfiles","arguments":{}}"#)
    XCTAssertEqual(errorCode(mcp.next()), -32600)
    mcp.request(3, "ping")
    XCTAssertEqual(mcp.next()["result"], .object([:]))
    let rest = mcp.finish()
    XCTAssertEqual(rest, [JSONValue]())
  }

  func testInitializeNegotiatesAndDescribesTheServer() {
    let mcp = MCPHarness()
    mcp.request(1, "initialize", #"{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"old"}}"#)
    let result = mcp.next()["result"]
    XCTAssertEqual(result?["protocolVersion"], "2025-11-25")
    XCTAssertEqual(result?["capabilities"], ["tools": ["listChanged": false]])
    XCTAssertEqual(result?["serverInfo"], ["name": "switchboard", "title": "Switchboard", "version": "9.9.9"])
    XCTAssertEqual(result?["instructions"], "Be careful.")
    mcp.request(2, "initialize", #"{"protocolVersion":"2025-06-18"}"#)
    XCTAssertEqual(errorCode(mcp.next()), -32600, "initialize is accepted once")
    _ = mcp.finish()

    XCTAssertEqual(Handshake.negotiate("2025-06-18"), "2025-06-18")
    XCTAssertEqual(Handshake.negotiate("2025-11-25"), "2025-11-25")
    XCTAssertEqual(Handshake.negotiate("2025-03-26"), "2025-11-25")
    XCTAssertEqual(Handshake.negotiate("1999-01-01"), "2025-11-25")
  }

  func testProtocolErrors() {
    let mcp = MCPHarness()
    mcp.request(1, "initialize", #"{"capabilities":{}}"#)
    XCTAssertEqual(errorCode(mcp.next()), -32602, "protocolVersion is required")
    mcp.initialize()
    mcp.request(2, "resources/list")
    let unknown = mcp.next()
    XCTAssertEqual(errorCode(unknown), -32601)
    XCTAssertEqual(unknown["id"], 2)
    mcp.send("{not json")
    XCTAssertEqual(errorCode(mcp.next()), -32700)
    mcp.send(#"[{"jsonrpc":"2.0","id":3,"method":"ping"}]"#)
    XCTAssertEqual(errorCode(mcp.next()), -32600, "no batches in MCP")
    mcp.request(4, "tools/call", #"{"name":"setCredentials","arguments":{}}"#)
    let secretTool = mcp.next()
    XCTAssertEqual(errorCode(secretTool), -32602)
    XCTAssertEqual(secretTool["error"]?["message"], "Unknown tool: setCredentials.")
    mcp.request(5, "tools/call", #"{"name":"getNumber","arguments":[1]}"#)
    XCTAssertEqual(errorCode(mcp.next()), -32602)
    _ = mcp.finish()
  }

  func testToolsListHasEveryToolWithSelfContainedSchemas() throws {
    let mcp = MCPHarness()
    mcp.initialize()
    mcp.request(1, "tools/list")
    let tools = try XCTUnwrap(mcp.next()["result"]?["tools"]?.arrayValue)
    XCTAssertEqual(tools.compactMap { $0["name"]?.stringValue }, ToolCatalog.specs.map(\.name))
    for tool in tools {
      XCTAssertEqual(tool["inputSchema"]?["type"], "object")
      XCTAssertEqual(tool["outputSchema"]?["type"], "object")
      XCTAssertFalse(String(decoding: JSONWriter.encode(tool), as: UTF8.self).contains("$ref"))
    }
    let delete = try XCTUnwrap(tools.first { $0["name"] == "deleteNumber" })
    XCTAssertEqual(
      delete["annotations"],
      [
        "title": "Release a Vapi number", "readOnlyHint": false, "destructiveHint": true, "idempotentHint": false,
        "openWorldHint": true,
      ])
    _ = mcp.finish()
  }

  func testACancelledCallStopsAndGetsNoReply() {
    let cancelled = CancelCounter()
    let mcp = MCPHarness(router: slowRouter(cancelled: cancelled))
    mcp.initialize()
    mcp.request(7, "tools/call", #"{"name":"listProfiles","arguments":{"ms":60000}}"#)
    mcp.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}"#)
    // A cancel for an id that is not running changes nothing.
    mcp.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"nope"}}"#)
    mcp.request(8, "tools/call", #"{"name":"listProfiles","arguments":{"ms":0}}"#)
    let reply = mcp.next()
    XCTAssertEqual(reply["id"], 8)
    XCTAssertEqual(reply["result"]?["structuredContent"], ["profiles": .array([])])
    let rest = mcp.finish()
    XCTAssertEqual(rest, [JSONValue](), "the cancelled call is never answered")
    XCTAssertEqual(cancelled.value, 1)
  }

  func testEndOfInputLetsRunningCallsFinishAndAnswer() {
    let mcp = MCPHarness(router: slowRouter())
    mcp.initialize()
    mcp.request(1, "tools/call", #"{"name":"listProfiles","arguments":{"ms":300}}"#)
    mcp.request(2, "tools/call", #"{"name":"listProfiles","arguments":{"ms":100}}"#)
    let rest = mcp.finish()
    let ids: [JSONValue] = rest.compactMap { $0["id"] }
    XCTAssertEqual(ids.count, 2)
    XCTAssertTrue(ids.contains(1) && ids.contains(2))
    for reply in rest {
      XCTAssertEqual(reply["result"]?["structuredContent"], ["profiles": .array([])])
    }
  }

  func testCallsStillRunningAfterTheDrainLimitAreCancelledByTheServer() {
    let cancelled = CancelCounter()
    let mcp = MCPHarness(router: slowRouter(cancelled: cancelled), drainLimit: .milliseconds(100))
    mcp.initialize()
    mcp.request(1, "tools/call", #"{"name":"listProfiles","arguments":{"ms":60000}}"#)
    let rest = mcp.finish()
    XCTAssertEqual(rest.map(errorCode), [-32802])
    XCTAssertEqual(cancelled.value, 1)
  }

  func testAClientThatStopsReadingStopsTheReaderWithinTheBudget() {
    let runs = CancelCounter()
    var router = Router()
    // Each call answers about 40 KB (the text content repeats the structured result).
    router.register(SlowProfilesMethod.self) { _, _ in
      runs.bump()
      return ["profiles": .array([.string(String(repeating: "x", count: 20_000))])]
    }
    let budget = 1 << 20
    let mcp = MCPHarness(router: router, budgetBytes: budget, outputCapacity: 16 << 10)
    mcp.initialize()
    let requests = 1000
    let writer = Thread {
      for i in 1...requests {
        mcp.request(i, "tools/call", #"{"name":"listProfiles","arguments":{"ms":0}}"#)
      }
    }
    writer.start()
    // Nobody reads: the session must stop reading instead of queueing every reply.
    var settled = 0
    for _ in 0..<100 {
      Thread.sleep(forTimeInterval: 0.02)
      XCTAssertLessThanOrEqual(mcp.transport.budget.queuedBytes, 2 * budget)
      settled = runs.value
    }
    XCTAssertLessThan(settled, requests / 2, "the reader went on starting calls")
    // Reading again lets every call through.
    var answered = Set<Int>()
    while answered.count < requests, let frame = mcp.poll(timeout: .seconds(20)) {
      if case .number(let token)? = frame["id"], let id = Int(token) { answered.insert(id) }
    }
    XCTAssertEqual(answered.count, requests)
    XCTAssertEqual(mcp.finish(), [JSONValue]())
  }

  func testADuplicateIdIsRefusedWithoutTouchingTheRunningCall() {
    let mcp = MCPHarness(router: slowRouter())
    mcp.initialize()
    mcp.request(1, "tools/call", #"{"name":"listProfiles","arguments":{"ms":300}}"#)
    mcp.request(1, "tools/call", #"{"name":"listProfiles","arguments":{"ms":0}}"#)
    let refused = mcp.next()
    XCTAssertEqual(errorCode(refused), -32600)
    XCTAssertEqual(refused["id"], JSONValue.null)
    let rest = mcp.finish()
    let ids: [JSONValue] = rest.compactMap { $0["id"] }
    XCTAssertEqual(ids, [1])
  }
}
