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
}
