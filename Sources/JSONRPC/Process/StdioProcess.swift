import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Process-level protections every stdio server needs.
public enum StdioProcess {
  /// Moves the real stdout aside and points fd 1 at stderr, so a stray `print` lands in the
  /// log instead of corrupting the protocol stream. Returns the descriptor to write frames to.
  public static func protectStandardOutput() -> Int32 {
    let protocolOutput = dup(STDOUT_FILENO)
    guard protocolOutput >= 0 else { return STDOUT_FILENO }
    _ = fcntl(protocolOutput, F_SETFD, FD_CLOEXEC)
    _ = dup2(STDERR_FILENO, STDOUT_FILENO)
    return protocolOutput
  }

  /// A write to a closed pipe returns EPIPE instead of killing the process.
  public static func ignoreSIGPIPE() {
    _ = signal(SIGPIPE, SIG_IGN)
  }

  /// Writes every byte of `buffer` to `fd`, retrying after a signal and waiting while a descriptor
  /// someone made non-blocking is full. Returns nil when all was written, else the `errno` of the
  /// failure (the other end is gone). The one write loop of the process's pipes and stderr.
  @discardableResult
  public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
    var offset = 0
    while offset < buffer.count {
      let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else if n < 0 && errno == EAGAIN {
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&pfd, 1, 100)
      } else {
        return n < 0 ? errno : EPIPE
      }
    }
    return nil
  }
}
