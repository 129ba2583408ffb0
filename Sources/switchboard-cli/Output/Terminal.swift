import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the process is attached to: terminals, their width, and whether colour is allowed.
enum Terminal {
  static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
  static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
  static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

  /// Colour and table decoration on stdout: only on a terminal, and never with `NO_COLOR` set
  /// (https://no-color.org: any non-empty value).
  static var stdoutStyled: Bool { stdoutIsTerminal && !noColor }
  /// The same rule for stderr (progress bars, prompts).
  static var stderrStyled: Bool { stderrIsTerminal && !noColor }

  static var noColor: Bool {
    if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return true }
    return false
  }

  /// The width to fit tables to: the terminal's, else `COLUMNS`, else nil (no fitting: scripts
  /// get whole values).
  static var stdoutWidth: Int? {
    if stdoutIsTerminal {
      var size = winsize()
      if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    }
    if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
    return nil
  }

  static var stderrWidth: Int {
    var size = winsize()
    if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
  }

  /// Writes to stderr without buffering.
  static func writeError(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// Writes to stdout (line by line, so output interleaves correctly with stderr).
  static func writeOutput(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }
}

/// ANSI styles, applied only when styling is on.
enum Style {
  static func bold(_ text: String, _ on: Bool) -> String { on ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
  static func dim(_ text: String, _ on: Bool) -> String { on ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
  static func green(_ text: String, _ on: Bool) -> String { on ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
  static func red(_ text: String, _ on: Bool) -> String { on ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
  static func badge(_ text: String, _ on: Bool) -> String { on ? "\u{1B}[7m \(text) \u{1B}[0m" : text }
}
