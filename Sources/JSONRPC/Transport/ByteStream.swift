import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a transport reads its input bytes from.
protocol ByteSource: Sendable {
  /// Reads at most `buffer.count` bytes; 0 at end of input, negative on an error.
  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int
}

/// Where a transport writes its output bytes.
protocol ByteSink: Sendable {
  /// Writes every byte (blocking while the other end does not read); false when the other end is gone.
  func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool
  /// Nothing more will be written.
  func finishWriting()
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
  read(fd, buffer.baseAddress, buffer.count)
}

/// A file descriptor (a pipe end, stdin, stdout).
struct FileDescriptorStream: ByteSource, ByteSink {
  let fd: Int32

  func finishWriting() {}

  func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
      let count = systemRead(fd, buffer)
      if count < 0 && errno == EINTR { continue }
      return count
    }
  }

  func writeAll(_ buffer: UnsafeRawBufferPointer) -> Bool {
    StdioProcess.writeAll(fd, buffer) == nil
  }
}

/// A bounded in-process byte pipe: writers block while `capacity` bytes are unread (as a real pipe
/// does when its reader stops reading), readers block while it is empty.
public final class BytePipe: ByteSource, ByteSink, @unchecked Sendable {
  private let condition = NSCondition()
  private var buffer: [UInt8] = []
  private var head = 0
  private var writerClosed = false
  private var readerClosed = false
  public let capacity: Int

  public init(capacity: Int = 64 << 10) { self.capacity = max(1, capacity) }

  /// Bytes written and not yet read.
  public var unreadCount: Int { condition.withLock { buffer.count - head } }

  public func writeAll(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var offset = 0
    condition.lock()
    defer { condition.unlock() }
    while offset < bytes.count {
      while buffer.count - head >= capacity && !readerClosed && !writerClosed { condition.wait() }
      if readerClosed || writerClosed { return false }
      let n = min(bytes.count - offset, capacity - (buffer.count - head))
      buffer.append(contentsOf: bytes[offset..<(offset + n)])
      offset += n
      condition.broadcast()
    }
    return true
  }

  public func write(_ bytes: [UInt8]) {
    _ = bytes.withUnsafeBytes { writeAll($0) }
  }

  func read(into out: UnsafeMutableRawBufferPointer) -> Int {
    condition.lock()
    defer { condition.unlock() }
    while buffer.count == head && !writerClosed && !readerClosed { condition.wait() }
    if buffer.count == head { return 0 }
    let n = min(out.count, buffer.count - head)
    buffer.withUnsafeBytes { source in
      out.baseAddress!.copyMemory(from: source.baseAddress! + head, byteCount: n)
    }
    head += n
    if head == buffer.count {
      buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
      head = 0
    }
    condition.broadcast()
    return n
  }

  /// Reads what is available, waiting up to `timeout` for at least one byte; empty at end or timeout.
  public func read(timeout: Duration) -> [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    let deadline = Date().addingTimeInterval(
      Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
    while buffer.count == head && !writerClosed && !readerClosed {
      if !condition.wait(until: deadline) { break }
    }
    let out = Array(buffer[head...])
    buffer.removeAll(keepingCapacity: true)
    head = 0
    condition.broadcast()
    return out
  }

  public func finishWriting() { closeWriting() }

  /// No more bytes will be written (the reader sees end of input once it has read the rest).
  public func closeWriting() {
    condition.withLock {
      writerClosed = true
      condition.broadcast()
    }
  }

  /// The reader is gone: writers fail (as with EPIPE).
  public func closeReading() {
    condition.withLock {
      readerClosed = true
      condition.broadcast()
    }
  }

  public var isWriterClosed: Bool { condition.withLock { writerClosed } }
}
