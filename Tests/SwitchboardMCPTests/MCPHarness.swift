import Foundation
import JSON
import JSONRPC
import Logging
import Switchboard
import XCTest

@testable import SwitchboardMCP

/// An `MCPSession` on the engine's `InMemoryTransport`, and the client's side of its pipes.
final class MCPHarness: @unchecked Sendable {
  let transport: InMemoryTransport
  let session: MCPSession
  private let ended = DispatchSemaphore(value: 0)
  private var frames = FrameReader(framing: .lines)
  private var pending: [JSONValue] = []

  /// A session on `router` (by default the service's, on a store that does not exist), with an
  /// output budget of `budgetBytes` and `outputCapacity` bytes of pipe between it and the test.
  init(
    router: Router = MethodTable.router(for: MCPHarness.service()), drainLimit: Duration = .seconds(10),
    budgetBytes: Int = 8 << 20, outputCapacity: Int = 64 << 10
  ) {
    transport = InMemoryTransport(
      budget: OutputBudget(limitBytes: budgetBytes, maxRequests: 4096), outputCapacity: outputCapacity)
    session = MCPSession(
      transport: transport, router: router, handshake: Handshake(version: "9.9.9", instructions: "Be careful."),
      logger: Logger(label: "test"))
    // The tests block while they read the output: they are synchronous, so the session's tasks have
    // the cooperative pool to themselves.
    Task { [session, ended] in
      await session.run(drainLimit: drainLimit)
      ended.signal()
    }
  }

  static func service() -> SwitchboardService {
    SwitchboardService(
      configuration: ServiceConfiguration(home: URL(fileURLWithPath: "/nonexistent")), logger: Logger(label: "test"))
  }

  func send(_ text: String) { transport.hostInput.write(Array((text + "\n").utf8)) }

  func request(_ id: Int, _ method: String, _ params: String? = nil) {
    send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"\#(params.map { #","params":\#($0)"# } ?? "")}"#)
  }

  func initialize(version: String = "2025-11-25") {
    request(0, "initialize", #"{"protocolVersion":"\#(version)","capabilities":{},"clientInfo":{"name":"t"}}"#)
    XCTAssertEqual(next()["result"]?["protocolVersion"], .string(version))
    send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
  }

  /// The next frame the session wrote.
  func next(timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
    guard let frame = poll(timeout: timeout) else {
      XCTFail("no frame from the session", file: file, line: line)
      return .null
    }
    return frame
  }

  /// The next frame, or nil when none came within `timeout` (or the output has ended).
  func poll(timeout: Duration) -> JSONValue? {
    let deadline = ContinuousClock.now + timeout
    while pending.isEmpty && ContinuousClock.now < deadline {
      let bytes = transport.hostOutput.read(timeout: .milliseconds(20))
      if bytes.isEmpty && transport.hostOutput.isWriterClosed && transport.hostOutput.unreadCount == 0 { break }
      for case .frame(let frame) in frames.push(bytes) {
        pending.append((try? JSONParser.parse(frame)) ?? "unparseable frame")
      }
    }
    // Not `pending.isEmpty ? nil : …`: there `nil` would be `JSONValue.null`.
    if pending.isEmpty { return nil }
    return pending.removeFirst()
  }

  /// Closes the input and waits until the session has ended; returns every frame not read yet.
  func finish(file: StaticString = #filePath, line: UInt = #line) -> [JSONValue] {
    transport.hostInput.closeWriting()
    if ended.wait(timeout: .now() + 30) == .timedOut { XCTFail("the session did not end", file: file, line: line) }
    var rest: [JSONValue] = []
    while let frame = poll(timeout: .seconds(2)) { rest.append(frame) }
    return rest
  }
}

func errorCode(_ frame: JSONValue) -> Int? {
  guard case .number(let token)? = frame["error"]?["code"] else { return nil }
  return Int(token)
}
