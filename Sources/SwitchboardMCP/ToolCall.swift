import JSON
import JSONRPC

/// One `tools/call`: the RPC method of the same name, run in-process through the router, with MCP
/// progress and the partial results it streamed put back into its result.
struct ToolCall: Sendable {
  let spec: ToolSpec
  /// The arguments exactly as the client wrote them (numbers keep their source text).
  let arguments: JSONValue
  /// `_meta.progressToken`, when the client asked for progress.
  let progressToken: JSONValue?

  /// Reads `{name, arguments?, _meta?}`; an unknown tool or malformed params are -32602.
  init(_ params: JSONValue?) throws(RPCError) {
    guard let name = params?["name"]?.stringValue else {
      throw RPCError.invalidParams(field: "/name", reason: "must be a string")
    }
    guard let spec = ToolCatalog.byName[name] else {
      throw RPCError(
        code: RPCError.invalidParamsCode, message: "Unknown tool: \(RPCError.bounded(name)).", data: ["field": "/name"])
    }
    switch params?["arguments"] {
    case nil, .null?: arguments = .object([:])
    case .object(let object)?: arguments = .object(object)
    default: throw RPCError.invalidParams(field: "/arguments", reason: "must be an object")
    }
    switch params?["_meta"]?["progressToken"] {
    case .string(let token)?: progressToken = .string(token)
    case .number(let token)?: progressToken = .number(token)
    default: progressToken = nil
    }
    self.spec = spec
  }

  /// Runs the call; `send` queues progress notifications. Throws a JSON-RPC error for what is not a
  /// tool result, and `CancellationError` when the task was cancelled (no reply is then sent).
  func run(router: Router, send: @escaping @Sendable ([UInt8]) -> Void) async throws -> JSONValue {
    let profile = arguments["profile"]?.stringValue ?? "default"
    let relay = progressToken.map { ProgressRelay(token: $0, send: send) }
    var onProgress: (@Sendable (InProcessProgress) -> Void)?
    if let relay { onProgress = { relay.receive($0) } }
    let result: JSONValue
    do {
      result = try await router.call(spec.name, params: arguments, onProgress: onProgress)
    } catch {
      _ = relay?.finish()
      if Task.isCancelled { throw CancellationError() }
      return try ToolOutcome.failure(error, profile: profile)
    }
    let partials = relay?.finish() ?? []
    if Task.isCancelled { throw CancellationError() }
    var structured = result
    // With progress the method streamed its items instead of returning them: put them back.
    if let member = spec.partialResultsMember, case .object(var object) = structured, !partials.isEmpty {
      object[member] = .array(partials)
      structured = .object(object)
    }
    return ToolOutcome.success(tool: spec.name, result: structured)
  }
}
