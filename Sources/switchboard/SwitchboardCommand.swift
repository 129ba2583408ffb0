import ArgumentParser
import Switchboard

/// The `switchboard` executable.
@main
struct SwitchboardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "switchboard",
    abstract: "Holds your Vapi and Twilio credentials and manages your voice numbers over JSON-RPC on stdio.",
    discussion: """
      Hosts spawn `switchboard` and speak JSON-RPC 2.0 on its stdin/stdout (one JSON text per line, \
      or LSP Content-Length framing). See protocol.md for every method.
      """,
    version: SwitchboardVersion.current,
    subcommands: [Serve.self],
    defaultSubcommand: Serve.self
  )
}
