import JSONRPC
import Logging
import Switchboard

/// `switchboard mcp`: the service's number and credential-status methods as MCP tools, on stdio.
///
/// Each tool is the RPC method of the same name, called through the same router (validation,
/// progress, cancellation), so there is no second implementation. The session (`MCPSession`) runs
/// on the engine's stdio transport: one JSON-RPC message per line, written by its single writer.
public enum MCPFace {
  static let instructions = """
    Switchboard manages the person's voice phone numbers on Vapi, including numbers brought from their Twilio account. \
    Their Vapi and Twilio keys stay in Switchboard's local store: no tool reads or writes a secret. When a tool says \
    credentials are missing, ask the person to run the `switchboard credentials set --profile <profile>` command it names \
    in a terminal. Creating or importing numbers may cost money and releasing one is irreversible: ask before doing either.
    """

  /// How long running calls may take to finish once the input has ended.
  static let drainLimit = Duration.seconds(10)

  /// Serves MCP on `input`/`output` until the client closes its end (or SIGTERM/SIGINT), then
  /// lets running calls finish and answers them (up to `drainLimit`).
  public static func serve(
    service: SwitchboardService, input: Int32, output: Int32, version: String, logger: Logger
  ) async {
    let transport = StdioTransport(
      input: input, output: output, maxFrameBytes: 16 << 20,
      budget: OutputBudget(limitBytes: 8 << 20, maxRequests: 4096))
    let session = MCPSession(
      transport: transport, router: MethodTable.router(for: service),
      handshake: Handshake(version: version, instructions: instructions), logger: logger)
    // SIGTERM/SIGINT end the input, as closing stdin does; running calls still finish.
    let signals = TerminationSignals { number in
      logger.notice("Exiting on signal \(number)")
      session.stop()
    }
    await session.run(drainLimit: drainLimit)
    withExtendedLifetime(signals) {}
  }
}
