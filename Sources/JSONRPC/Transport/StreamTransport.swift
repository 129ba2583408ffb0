import Foundation
import Synchronization

/// The shared machinery of byte-stream transports: a reader thread with a `FrameReader`, and the
/// single `OutputWriter`.
final class StreamTransportCore: Sendable {
  let budget: OutputBudget
  private let source: any ByteSource
  private let writer: OutputWriter
  private let maxFrameBytes: Int
  private let reading = Atomic<Bool>(true)
  private let failure = FailureHook()

  init(source: any ByteSource, sink: any ByteSink, maxFrameBytes: Int, budget: OutputBudget) {
    self.source = source
    self.maxFrameBytes = maxFrameBytes
    self.budget = budget
    let failure = self.failure
    self.writer = OutputWriter(sink: sink, budget: budget) { failure.fire() }
  }

  func start(
    receive: @escaping @Sendable (FrameReader.Event) -> Void, inputEnded: @escaping @Sendable () -> Void,
    outputFailed: @escaping @Sendable () -> Void
  ) {
    failure.set(outputFailed)
    writer.start()
    let thread = Thread { [self] in
      readLoop(receive)
      inputEnded()
    }
    thread.name = "switchboard.reader"
    thread.start()
  }

  private func readLoop(_ receive: (FrameReader.Event) -> Void) {
    var frames = FrameReader(maxFrameBytes: maxFrameBytes)
    let capacity = 64 << 10
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    while reading.load(ordering: .acquiring) {
      let count = source.read(into: buffer)
      if count <= 0 { break }
      frames.push(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { event in
        if reading.load(ordering: .acquiring) { receive(event) }
      }
    }
    if reading.load(ordering: .acquiring) { frames.finish { receive($0) } }
  }

  func setFraming(_ framing: Framing) { writer.setFraming(framing) }
  func send(_ message: [UInt8]) { writer.send(message) }
  func stopReading() { reading.store(false, ordering: .releasing) }
  func flush(timeout: Duration) -> Bool {
    let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
    return writer.flush(until: Date().addingTimeInterval(seconds))
  }
  func close() { writer.close() }
}

/// The transport of a stdio server: frames read from one descriptor, written to another.
public final class StdioTransport: Transport {
  private let core: StreamTransportCore
  public var budget: OutputBudget { core.budget }

  /// Reads `input` and writes `output`; frames over `maxFrameBytes` are refused; at most
  /// `budget.limitBytes` of output are held for a host that does not read.
  public init(input: Int32, output: Int32, maxFrameBytes: Int, budget: OutputBudget) {
    core = StreamTransportCore(
      source: FileDescriptorStream(fd: input), sink: FileDescriptorStream(fd: output), maxFrameBytes: maxFrameBytes,
      budget: budget)
  }

  public func start(
    receive: @escaping @Sendable (FrameReader.Event) -> Void, inputEnded: @escaping @Sendable () -> Void,
    outputFailed: @escaping @Sendable () -> Void
  ) { core.start(receive: receive, inputEnded: inputEnded, outputFailed: outputFailed) }
  public func setFraming(_ framing: Framing) { core.setFraming(framing) }
  public func send(_ message: [UInt8]) { core.send(message) }
  public func stopReading() { core.stopReading() }
  @discardableResult public func flush(timeout: Duration) -> Bool { core.flush(timeout: timeout) }
  public func close() { core.close() }
}

/// A transport over in-process pipes, for tests: the host writes to `hostInput` and reads
/// `hostOutput`. `hostOutput` holds at most its capacity unread, so a test that stops reading
/// is a host that stops reading.
public final class InMemoryTransport: Transport {
  private let core: StreamTransportCore
  public let hostInput: BytePipe
  public let hostOutput: BytePipe
  public var budget: OutputBudget { core.budget }

  public init(maxFrameBytes: Int = 16 << 20, budget: OutputBudget, outputCapacity: Int = 64 << 10) {
    hostInput = BytePipe(capacity: 1 << 20)
    hostOutput = BytePipe(capacity: outputCapacity)
    core = StreamTransportCore(source: hostInput, sink: hostOutput, maxFrameBytes: maxFrameBytes, budget: budget)
  }

  public func start(
    receive: @escaping @Sendable (FrameReader.Event) -> Void, inputEnded: @escaping @Sendable () -> Void,
    outputFailed: @escaping @Sendable () -> Void
  ) { core.start(receive: receive, inputEnded: inputEnded, outputFailed: outputFailed) }
  public func setFraming(_ framing: Framing) { core.setFraming(framing) }
  public func send(_ message: [UInt8]) { core.send(message) }
  public func stopReading() {
    core.stopReading()
  }
  @discardableResult public func flush(timeout: Duration) -> Bool { core.flush(timeout: timeout) }
  public func close() {
    core.close()
  }
}

/// The callback for a failed output, set when the transport starts.
private final class FailureHook: Sendable {
  private let callback = Mutex<(@Sendable () -> Void)?>(nil)
  func set(_ callback: @escaping @Sendable () -> Void) { self.callback.withLock { $0 = callback } }
  func fire() { callback.withLock { $0 }?() }
}
