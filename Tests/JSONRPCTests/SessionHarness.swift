import Foundation
import JSON
import Synchronization
import XCTest

@testable import JSONRPC

/// Test methods the session tests dispatch on.
enum EchoMethod: RPCMethod {
  struct Params: Decodable, Sendable { var value: JSONValue? }
  typealias Result = JSONValue
  static let name = "test/echo"
  static let summary = "Echoes value."
  static let params = [ContentDescriptor("value", .any(description: "anything"))]
  static let result = ContentDescriptor("value", .any(description: "anything"), required: true)
}

enum SleepMethod: RPCMethod {
  struct Params: Decodable, Sendable { var ms: Int }
  struct Result: Encodable, Sendable { var sleptMs: Int }
  static let name = "test/sleep"
  static let summary = "Sleeps."
  static let params = [ContentDescriptor("ms", .integer(minimum: 0), required: true)]
  static let result = ContentDescriptor("r", .object([], open: true), required: true)
}

enum BlobMethod: RPCMethod {
  struct Params: Decodable, Sendable { var bytes: Int }
  typealias Result = JSONValue
  static let name = "test/blob"
  static let summary = "Returns a string of `bytes` characters."
  static let params = [ContentDescriptor("bytes", .integer(minimum: 0), required: true)]
  static let result = ContentDescriptor("r", .string(), required: true)
}

enum PingMethod: RPCMethod {
  typealias Params = NoParams
  typealias Result = JSONValue
  static let name = "ping"
  static let summary = "Answers {}."
  static let params: [ContentDescriptor] = []
  static let result = ContentDescriptor("r", .object([], open: true), required: true)
}

/// Counts handler runs, so tests can tell whether a request ran.
final class RunCounter: Sendable {
  private let count = Atomic<Int>(0)
  func bump() { count.add(1, ordering: .relaxed) }
  var value: Int { count.load(ordering: .relaxed) }
}

/// A session on an `InMemoryTransport`, run on its own thread, and the host side of its pipes.
final class SessionHarness: @unchecked Sendable {
  let transport: InMemoryTransport
  let connection: Connection
  let runs = RunCounter()
  private let endReason = Mutex<Connection.EndReason?>(nil)
  private let finished = DispatchSemaphore(value: 0)
  private var frames = FrameReader(maxFrameBytes: 1 << 30)
  private var pending: [JSONValue] = []

  init(
    budgetBytes: Int = 16 << 20, maxBatchItems: Int = 10_000, batchReplyLimitBytes: Int = 4 << 20,
    outputCapacity: Int = 64 << 10, maxFrameBytes: Int = 16 << 20
  ) {
    let configuration = Connection.Configuration(
      serverName: "test", serverVersion: "1", maxFrameBytes: maxFrameBytes, drainTimeout: .seconds(5),
      outputBudgetBytes: budgetBytes, maxBatchItems: maxBatchItems, batchReplyLimitBytes: batchReplyLimitBytes)
    transport = InMemoryTransport(
      maxFrameBytes: maxFrameBytes, budget: Connection.budget(for: configuration), outputCapacity: outputCapacity)
    var router = Router()
    let runs = self.runs
    router.register(PingMethod.self) { _, _ in
      runs.bump()
      return .object([:])
    }
    router.register(EchoMethod.self) { params, _ in
      runs.bump()
      return params.value ?? .null
    }
    router.register(SleepMethod.self) { params, _ in
      runs.bump()
      try await Task.sleep(for: .milliseconds(params.ms))
      return SleepMethod.Result(sleptMs: params.ms)
    }
    router.register(BlobMethod.self) { params, _ in
      runs.bump()
      return .string(String(repeating: "x", count: params.bytes))
    }
    connection = Connection(transport: transport, router: router, configuration: configuration)
    let thread = Thread { [self] in
      let reason = connection.run()
      endReason.withLock { $0 = reason }
      finished.signal()
    }
    thread.start()
  }

  func write(_ text: String) { transport.hostInput.write(Array(text.utf8)) }
  func write(_ bytes: [UInt8]) { transport.hostInput.write(bytes) }

  func request(_ id: Int, _ method: String, _ params: String? = nil) -> String {
    let params = params.map { #","params":\#($0)"# } ?? ""
    return #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)"\#(params)}"# + "\n"
  }

  func closeInput() { transport.hostInput.closeWriting() }

  /// The next `count` messages (replies or notifications), reading the host's output.
  func messages(_ count: Int, timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line)
    -> [JSONValue]
  {
    let deadline = ContinuousClock.now + timeout
    while pending.count < count && ContinuousClock.now < deadline {
      let bytes = transport.hostOutput.read(timeout: .milliseconds(100))
      if bytes.isEmpty && transport.hostOutput.isWriterClosed && transport.hostOutput.unreadCount == 0 { break }
      for event in frames.push(bytes) {
        if case .frame(let frame) = event {
          guard let value = try? JSONParser.parse(frame) else {
            XCTFail("unparseable output frame", file: file, line: line)
            continue
          }
          pending.append(value)
        }
      }
    }
    XCTAssertGreaterThanOrEqual(pending.count, count, "messages received: \(pending.count)", file: file, line: line)
    let taken = Array(pending.prefix(count))
    pending.removeFirst(taken.count)
    return taken
  }

  func message(timeout: Duration = .seconds(20), file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
    messages(1, timeout: timeout, file: file, line: line).first ?? .null
  }

  /// Replies keyed by their id's JSON text.
  func replies(_ count: Int) -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    for message in messages(count) {
      let id = message["id"].map { String(decoding: JSONWriter.encode($0), as: UTF8.self) } ?? "?"
      out[id] = message
    }
    return out
  }

  /// Waits for the session to end and returns why.
  func end(timeout: Duration = .seconds(20)) -> Connection.EndReason? {
    let seconds = Double(timeout.components.seconds)
    _ = finished.wait(timeout: .now() + seconds)
    return endReason.withLock { $0 }
  }

  /// Closes input, drains the output, and waits for the end.
  func finish() -> Connection.EndReason? {
    closeInput()
    let reason = end()
    _ = transport.hostOutput.read(timeout: .milliseconds(10))
    return reason
  }
}

func code(_ message: JSONValue) -> Int? {
  guard case .number(let token)? = message["error"]?["code"] else { return nil }
  return Int(token)
}
