import Foundation

/// The single, ordered writer of outgoing frames.
///
/// Producers enqueue whole messages from any thread; one dedicated thread frames them and writes
/// them in order, coalescing small frames into few writes (at most `coalesceBytes` copied at a
/// time, a large frame is written from its own storage), so a frame is never interleaved with
/// another and a slow host never blocks a producer. Every queued byte is counted in the budget.
final class OutputWriter: @unchecked Sendable {
  private let sink: any ByteSink
  private let budget: OutputBudget
  private let condition = NSCondition()
  // Guarded by `condition`:
  private var queue: [[UInt8]] = []
  private var writing = false
  private var closing = false
  private var failed = false
  private var framing: Framing = .lines
  private var thread: Thread?
  private let onFailure: @Sendable () -> Void
  static let coalesceBytes = 256 << 10

  init(sink: any ByteSink, budget: OutputBudget, onFailure: @escaping @Sendable () -> Void) {
    self.sink = sink
    self.budget = budget
    self.onFailure = onFailure
  }

  func start() {
    let thread = Thread { [self] in run() }
    thread.name = "switchboard.writer"
    thread.stackSize = 256 << 10
    self.thread = thread
    thread.start()
  }

  func setFraming(_ framing: Framing) {
    condition.withLock { self.framing = framing }
  }

  /// Queues one message (unframed JSON bytes).
  func send(_ message: [UInt8]) {
    condition.lock()
    if !failed && !closing {
      budget.addQueued(message.count)
      queue.append(message)
      if queue.count == 1 { condition.signal() }
    }
    condition.unlock()
  }

  /// Waits until everything queued so far is written (or writing failed, or the deadline passed).
  @discardableResult
  func flush(until deadline: Date) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while (!queue.isEmpty || writing) && !failed {
      if !condition.wait(until: deadline) { return false }
    }
    return !failed
  }

  /// Stops accepting messages; the thread ends once the queue is written.
  func close() {
    condition.withLock {
      closing = true
      condition.broadcast()
    }
  }

  private func run() {
    var out: [UInt8] = []
    while true {
      condition.lock()
      while queue.isEmpty && !closing { condition.wait() }
      if queue.isEmpty {
        condition.unlock()
        sink.finishWriting()
        return
      }
      let batch = queue
      queue.removeAll(keepingCapacity: queue.capacity <= 4096)
      writing = true
      let framing = self.framing
      condition.unlock()

      var ok = true
      var total = 0
      out.removeAll(keepingCapacity: true)
      for message in batch where ok {
        total += message.count
        let header: [UInt8] = framing == .contentLength ? Array("Content-Length: \(message.count)\r\n\r\n".utf8) : []
        if message.count >= Self.coalesceBytes {
          // Large: flush what is pending, then write the frame from its own storage.
          out.append(contentsOf: header)
          ok = writeAll(out)
          out.removeAll(keepingCapacity: true)
          ok = ok && writeAll(message)
          if ok && framing == .lines { out.append(0x0A) }
        } else {
          out.append(contentsOf: header)
          out.append(contentsOf: message)
          if framing == .lines { out.append(0x0A) }
          if out.count >= Self.coalesceBytes {
            ok = writeAll(out)
            out.removeAll(keepingCapacity: true)
          }
        }
      }
      if ok && !out.isEmpty { ok = writeAll(out) }
      if out.capacity > 4 * Self.coalesceBytes { out = [] }
      budget.removeQueued(total)

      condition.lock()
      writing = false
      if !ok {
        failed = true
        let dropped = queue.reduce(0) { $0 + $1.count }
        queue.removeAll()
        budget.removeQueued(dropped)
      }
      condition.broadcast()
      condition.unlock()
      if !ok {
        onFailure()
        return
      }
    }
  }

  private func writeAll(_ bytes: [UInt8]) -> Bool {
    bytes.isEmpty || bytes.withUnsafeBytes { sink.writeAll($0) }
  }
}
