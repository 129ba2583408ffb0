import ArgumentParser
import Foundation
import JSONRPC
import Logging
import Switchboard
import SwitchboardMCP

/// `switchboard mcp`: the number and credential-status methods as Model Context Protocol tools on
/// stdin/stdout, for AI assistants. Secrets stay in the local store: no tool reads or writes one.
struct MCPCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mcp",
    abstract: "Serve the Model Context Protocol on stdin/stdout (for AI assistants).",
    discussion: """
      Configure your assistant to run `switchboard mcp`. Credentials are entered with \
      `switchboard credentials set`, never through the assistant.
      """)

  @Option(
    name: .customLong("log-level"),
    help: "trace, debug, info, notice, warning, error or critical (default: warning, or SWITCHBOARD_LOG_LEVEL).")
  var logLevel: String?

  func validate() throws {
    if let logLevel, Logger.Level(rawValue: logLevel.lowercased()) == nil {
      throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
    }
  }

  func run() async throws {
    await Self.serve(logLevel: logLevel)
  }

  /// Serves MCP until the client closes stdin (or SIGTERM/SIGINT) and the running calls are answered.
  static func serve(logLevel: String?) async {
    StdioProcess.ignoreSIGPIPE()
    // Protocol frames go to a private copy of stdout; anything else printed lands on stderr.
    let protocolOutput = StdioProcess.protectStandardOutput()
    let environment = ProcessInfo.processInfo.environment
    LogSetup.bootstrap(level: LogSetup.level(flag: logLevel, environment: environment))
    let logger = Logger(label: "switchboard.mcp")
    let service = SwitchboardService(
      configuration: EnvironmentConfiguration.service(environment), logger: Logger(label: "switchboard"))
    defer {
      service.close()
      LogSetup.flush()
    }
    await MCPFace.serve(
      service: service, input: STDIN_FILENO, output: protocolOutput, version: SwitchboardVersion.current, logger: logger
    )
  }
}
