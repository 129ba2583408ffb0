import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The terminal settings to put back if Ctrl-C comes while echo is off.
nonisolated(unsafe) private var echoingSettings = termios()

/// Reads a line from the terminal, optionally without echo.
enum Prompt {
  static func read(_ prompt: String, echo: Bool) throws -> String {
    FileHandle.standardError.write(Data(prompt.utf8))
    var saved = termios()
    let restore = !echo && tcgetattr(STDIN_FILENO, &saved) == 0
    if restore {
      echoingSettings = saved
      // Ctrl-C at a secret prompt must not leave the terminal without echo.
      signal(SIGINT) { _ in
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &echoingSettings)
        _ = write(STDERR_FILENO, "\n", 1)
        _exit(130)
      }
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
    }
    defer {
      if restore {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        signal(SIGINT, SIG_DFL)
        FileHandle.standardError.write(Data("\n".utf8))
      }
    }
    let answer = (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
    // Piped answers are not echoed by a terminal: end the prompt's line ourselves.
    if isatty(STDIN_FILENO) != 1 { FileHandle.standardError.write(Data("\n".utf8)) }
    return answer
  }
}
