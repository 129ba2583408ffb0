import Dispatch
import Foundation
import JSONRPC
import Logging
import MCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MCP's stdio transport (one JSON-RPC message per line) over blocking pipe reads and writes.
///
/// Used instead of the SDK's `StdioTransport`, which switches both descriptors to `O_NONBLOCK` (a
/// flag of the shared open file: a terminal or a pipe the host also uses is left non-blocking) and
/// polls them, sleeping 10 ms whenever nothing is there to read or the pipe is full. Here a
/// thread blocks in `read(2)`, so a message is taken the moment it arrives, and writes run in
/// order on a serial queue without holding a task thread.
actor PipeTransport: MCP.Transport {
  nonisolated let logger: Logger
  private let input: Int32
  private let output: Int32
  private let writes = DispatchQueue(label: "switchboard.mcp.output")
  private let messages: AsyncThrowingStream<Data, any Error>
  private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
  private var started = false
  private var connected = false

  init(input: Int32, output: Int32, logger: Logger) {
    self.input = input
    self.output = output
    self.logger = logger
    (messages, continuation) = AsyncThrowingStream.makeStream()
  }

  func connect() async throws {
    guard !started else { return }
    started = true
    connected = true
    let thread = Thread { [input, continuation, logger] in
      Self.readLines(from: input, into: continuation, logger: logger)
    }
    thread.name = "switchboard.mcp.input"
    thread.start()
  }

  func disconnect() async {
    connected = false
    continuation.finish()
  }

  /// Stops taking messages while replies can still be written.
  func endInput() { continuation.finish() }

  func send(_ data: Data) async throws {
    guard connected else { throw MCPError.connectionClosed }
    var framed = data
    framed.append(0x0A)
    let line = framed
    let fd = output
    let failed: Int32? = await withCheckedContinuation { done in
      writes.async { done.resume(returning: Self.writeAll(line, to: fd)) }
    }
    if let failed { throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: failed) ?? .EIO)) }
  }

  func receive() -> AsyncThrowingStream<Data, any Error> { messages }

  /// Reads until end of input, yielding each non-empty line without its newline (and a trailing `\r`).
  private static func readLines(
    from fd: Int32, into continuation: AsyncThrowingStream<Data, any Error>.Continuation, logger: Logger
  ) {
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var pending: [UInt8] = []
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        logger.error("Reading stdin failed: errno \(errno)")
        break
      }
      if count == 0 { break }
      var start = 0
      for index in 0..<count where buffer[index] == 0x0A {
        pending.append(contentsOf: buffer[start..<index])
        if pending.last == 0x0D { pending.removeLast() }
        if !pending.isEmpty { continuation.yield(Data(pending)) }
        pending.removeAll(keepingCapacity: true)
        start = index + 1
      }
      pending.append(contentsOf: buffer[start..<count])
    }
    // A last message without its newline is still served.
    if pending.last == 0x0D { pending.removeLast() }
    if !pending.isEmpty { continuation.yield(Data(pending)) }
    continuation.finish()
  }

  /// Writes every byte; returns the errno of a failure.
  private static func writeAll(_ data: Data, to fd: Int32) -> Int32? {
    data.withUnsafeBytes { StdioProcess.writeAll(fd, $0) }
  }
}
