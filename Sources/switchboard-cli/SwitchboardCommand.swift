import ArgumentParser
import Foundation
import Switchboard

/// The `switchboard` executable.
@main
struct SwitchboardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "switchboard",
    abstract: "Holds your Vapi and Twilio credentials and manages your voice numbers over JSON-RPC on stdio.",
    discussion: RootHelp.discussion,
    version: SwitchboardVersion.current,
    subcommands: [Serve.self, CallCommand.self, NumbersCommand.self, CredentialsCommand.self, MCPCommand.self],
    defaultSubcommand: Serve.self
  )

  /// Runs the command line, turning service failures into one stderr line and an exit status.
  static func main() async {
    // Every file the process creates (the store, its -wal/-shm, master.key) is private from its
    // first byte, whatever the parent's umask.
    _ = umask(0o077)
    MemoryPolicy.apply()
    // Hosts spawn `switchboard` with no arguments: serve at once, without the argument parser's
    // reflection (it shows in spawn → first reply).
    if CommandLine.arguments.count == 1 {
      Serve.serve(logLevel: nil, clientProcessID: nil)
    }
    // MCP hosts spawn `switchboard mcp`: the same shortcut.
    if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "mcp" {
      await MCPCommand.serve(logLevel: nil)
      return
    }
    RootHelp.rejectUnknownSubcommand(CommandLine.arguments, known: configuration.subcommands)
    do {
      var command = try parseAsRoot()
      if var asyncCommand = command as? any AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch let error as CLIError {
      FileHandle.standardError.write(Data("switchboard: \(error.message)\n".utf8))
      Foundation.exit(error.exitCode)
    } catch {
      exit(withError: error)
    }
  }
}
