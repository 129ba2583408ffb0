import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The single, ordered writer of outgoing frames.
///
/// Producers enqueue whole messages from any thread; one dedicated thread frames them and
/// writes everything queued with as few `write(2)` calls as possible, so a frame is never
/// interleaved with another and a slow reader on the other end never blocks a producer.
final class OutputWriter: @unchecked Sendable {
  private let fd: Int32
  private let condition = NSCondition()
  // Guarded by `condition`:
  private var queue: [[UInt8]] = []
  private var pendingBytes = 0
  private var writing = false
  private var closing = false
  private var failed = false
  private var framing: Framing = .lines
  private var thread: Thread?

  /// Above this many queued bytes the reader stops reading until the host catches up.
  let highWaterBytes: Int
  private let onFailure: @Sendable () -> Void

  init(fd: Int32, highWaterBytes: Int = 32 << 20, onFailure: @escaping @Sendable () -> Void) {
    self.fd = fd
    self.highWaterBytes = highWaterBytes
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
    condition.lock()
    self.framing = framing
    condition.unlock()
  }

  /// Queues one message (unframed JSON bytes).
  func send(_ message: [UInt8]) {
    condition.lock()
    if !failed && !closing {
      pendingBytes += message.count
      queue.append(message)
      if queue.count == 1 { condition.signal() }
    }
    condition.unlock()
  }

  /// Blocks while more than `highWaterBytes` are queued (back-pressure on the reader).
  func waitForCapacity() {
    condition.lock()
    while pendingBytes > highWaterBytes && !failed && !closing { condition.wait() }
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
    condition.lock()
    closing = true
    condition.broadcast()
    condition.unlock()
  }

  private func run() {
    var out: [UInt8] = []
    while true {
      condition.lock()
      while queue.isEmpty && !closing { condition.wait() }
      if queue.isEmpty {
        condition.unlock()
        return
      }
      let batch = queue
      queue.removeAll(keepingCapacity: true)
      writing = true
      let framing = self.framing
      condition.unlock()

      out.removeAll(keepingCapacity: true)
      var total = 0
      for message in batch {
        total += message.count
        switch framing {
        case .lines:
          out.append(contentsOf: message)
          out.append(0x0A)
        case .contentLength:
          out.append(contentsOf: "Content-Length: \(message.count)\r\n\r\n".utf8)
          out.append(contentsOf: message)
        }
      }
      let ok = writeAll(out)
      if out.capacity > 4 << 20 { out = [] }

      condition.lock()
      pendingBytes -= total
      writing = false
      if !ok {
        failed = true
        queue.removeAll()
        pendingBytes = 0
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
    bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n > 0 {
          offset += n
        } else if n < 0 && errno == EINTR {
          continue
        } else if n < 0 && errno == EAGAIN {
          // Someone made the shared descriptor non-blocking: wait until it is writable.
          var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
          _ = poll(&pfd, 1, 100)
        } else {
          return false
        }
      }
      return true
    }
  }
}
