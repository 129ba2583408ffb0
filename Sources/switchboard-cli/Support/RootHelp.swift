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

  /// When an argument in subcommand position names no subcommand (`switchboard mcpp`,
  /// `switchboard numbers lsit`), names it, lists the real ones and exits 64 (instead of the
  /// default `serve` reading it as an unexpected argument).
  static func rejectUnknownSubcommand(_ arguments: [String], known: [any ParsableCommand.Type]) {
    var path = ["switchboard"]
    var choices = known
    for argument in arguments.dropFirst() {
      guard !argument.hasPrefix("-"), !choices.isEmpty else { return }
      guard let match = choices.first(where: { $0._commandName == argument }) else {
        if argument == "help" { return }
        let names = choices.map { $0._commandName }
        let message = """
          \(path.joined(separator: " ")): '\(argument)' is not a \(path.joined(separator: " ")) command.
          Commands: \(names.joined(separator: ", ")). See `\(path.joined(separator: " ")) --help`.

          """
        FileHandle.standardError.write(Data(message.utf8))
        exit(ExitStatus.usage)
      }
      path.append(argument)
      choices = match.configuration.subcommands
    }
  }
}
