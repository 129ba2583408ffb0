import ArgumentParser
import Foundation

/// The top-level `--help` text, and the answer to a subcommand that does not exist.
enum RootHelp {
  static var discussion: String {
    """
    Hosts spawn `switchboard` and speak JSON-RPC 2.0 on its stdin/stdout (one JSON text per line, \
    or LSP Content-Length framing). The protocol is protocol.md (in the source repository) and, \
    from a running server, `rpc.discover` (an OpenRPC document):

      echo '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}' | switchboard

    From a terminal or a script, `call`, `numbers` and `credentials` run the same methods in-process.

    EXIT STATUS (every subcommand; errors are classed by the JSON-RPC error's data.kind or code):
    \(ExitStatus.helpText)
    """
  }

  /// When the first argument looks like a subcommand but is none, names it, lists the real ones
  /// and exits 64 (instead of the default `serve` reading it as an unexpected argument).
  static func rejectUnknownSubcommand(_ arguments: [String], known: [any ParsableCommand.Type]) {
    guard let first = arguments.dropFirst().first, !first.hasPrefix("-") else { return }
    let names = known.map { $0._commandName } + ["help"]
    guard !names.contains(first) else { return }
    let message = """
      switchboard: '\(first)' is not a switchboard command.
      Commands: \(names.filter { $0 != "help" }.joined(separator: ", ")). See `switchboard --help`.

      """
    FileHandle.standardError.write(Data(message.utf8))
    exit(ExitStatus.usage)
  }
}
