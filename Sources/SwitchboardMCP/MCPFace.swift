import Foundation
import JSON
import JSONRPC
import Logging
import MCP
import Switchboard
import Synchronization

/// `switchboard mcp`: the service's number and credential-status methods as MCP tools, on stdio.
///
/// Each tool is the RPC method of the same name, called through the same router (validation,
/// scheduling, progress, cancellation), so there is no second implementation. Built on the
/// official MCP Swift SDK's `Server`, over `PipeTransport` and `WireAdapter` (see there for why).
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
  /// lets running requests finish and answers them (up to `drainLimit`).
  public static func serve(
    service: SwitchboardService, input: Int32, output: Int32, version: String, logger: Logger
  ) async throws {
    let router = MethodTable.router(for: service)
    let server = Server(
      name: "switchboard", version: version, title: "Switchboard", instructions: instructions,
      // The SDK's strict mode drops a request that comes before `initialize` without any reply;
      // the handlers below refuse it with an error instead.
      capabilities: .init(tools: .init(listChanged: false)), configuration: .default)
    let tools = ToolList(router: router)
    let initialized = Mutex(false)
    @Sendable func requireInitialized() throws {
      guard initialized.withLock({ $0 }) else { throw MCPError.invalidRequest("Server is not initialized") }
    }

    await server.withMethodHandler(ListTools.self) { _ in
      try requireInitialized()
      return ListTools.Result(tools: tools.all)
    }
    let results = RawResults()
    let pending = PendingReplies()
    await server.withMethodHandler(CallTool.self) { [weak server] params in
      try requireInitialized()
      return try await call(params, router: router, server: server, results: results)
    }

    let pipes = PipeTransport(input: input, output: output, logger: logger)
    // SIGTERM/SIGINT end the input, as closing stdin does; running calls still finish.
    let signals = TerminationSignals { number in
      logger.notice("Exiting on signal \(number)")
      Task { await pipes.endInput() }
    }
    try await server.start(transport: WireAdapter(pipes, results: results, pending: pending, logger: logger)) { _, _ in
      initialized.withLock { $0 = true }
    }
    await server.waitUntilCompleted()
    if !(await pending.drain(within: drainLimit)) {
      logger.warning("Exiting with requests still unanswered after \(drainLimit)")
    }
    withExtendedLifetime(signals) {}
    await server.stop()
  }

  /// One `tools/call`: the RPC method of the same name, with MCP progress and cancellation.
  static func call(
    _ params: CallTool.Parameters, router: Router, server: Server?, results: RawResults
  ) async throws -> CallTool.Result {
    guard let spec = ToolCatalog.byName[params.name] else {
      throw MCPError.invalidParams("Unknown tool: \(String(params.name.prefix(100)))")
    }
    let arguments: JSONValue
    if let raw = params._meta?[WireAdapter.argumentsKey]?.stringValue {
      // The arguments exactly as the client wrote them (see WireAdapter).
      guard case .object(let object)? = try? JSONParser.parse(Array(raw.utf8)) else {
        throw MCPError.invalidParams("arguments must be an object")
      }
      arguments = .object(object)
    } else {
      arguments = .object(ValueBridge.json(.object(params.arguments ?? [:])).objectValue ?? [:])
    }
    let profile = arguments["profile"]?.stringValue ?? "default"

    var relay: ProgressRelay?
    if let token = params._meta?.progressToken, let server {
      relay = ProgressRelay(token: token) { progress in
        try? await server.notify(ProgressNotification.message(progress))
      }
    }
    var onProgress: (@Sendable (InProcessProgress) -> Void)?
    if let relay { onProgress = { event in relay.receive(event) } }
    let result: JSONValue
    do {
      result = try await router.call(spec.name, params: arguments, onProgress: onProgress)
    } catch {
      _ = await relay?.finish()
      // Cancelled through notifications/cancelled: MCP sends no reply at all.
      if Task.isCancelled { throw CancellationError() }
      return try ToolOutcome.failure(error, profile: profile)
    }
    let partials = await relay?.finish() ?? []
    // Cancelled as the method returned: no reply will go out, so hold nothing for one.
    if Task.isCancelled { throw CancellationError() }
    var structured = result
    // With progress the method streamed its items instead of returning them: put them back.
    if let member = spec.partialResultsMember, case .object(var object) = structured, !partials.isEmpty {
      object[member] = .array(partials)
      structured = .object(object)
    }
    return ToolOutcome.success(tool: spec.name, result: structured, results: results)
  }
}

/// The tool list, built from the method descriptors the first time a client asks.
final class ToolList: Sendable {
  private let router: Router
  private let cache = Mutex<[Tool]?>(nil)

  init(router: Router) { self.router = router }

  var all: [Tool] {
    cache.withLock { cache in
      if let cache { return cache }
      let tools = ToolCatalog.tools(from: router)
      cache = tools
      return tools
    }
  }
}
