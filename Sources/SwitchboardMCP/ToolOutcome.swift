import JSON
import JSONRPC
import MCP
import Switchboard

/// Turns a method's reply into what `tools/call` answers: a result with `structuredContent` and a
/// text block, a tool error (`isError: true`) the assistant can read and act on, or a JSON-RPC error.
enum ToolOutcome {
  /// Where a person enters credentials: on their own machine, never through the assistant.
  static func credentialsCommand(profile: String) -> String {
    "switchboard credentials set --profile \(profile)"
  }

  /// The result; `structuredContent` goes out as the bytes the engine encodes (see `RawResults`).
  static func success(tool: String, result: JSONValue, results: RawResults) -> CallTool.Result {
    let structured: Value? = .string(results.hold(result))
    return CallTool.Result(
      content: [.text(text: ToolSummaries.text(tool: tool, result: result), annotations: nil, _meta: nil)],
      structuredContent: structured)
  }

  /// The reply for a failed call, or a thrown JSON-RPC error for what is not the tool's own failure.
  static func failure(_ error: any Error, profile: String) throws -> CallTool.Result {
    guard let rpc = (error as? any RPCErrorConvertible)?.rpcError else {
      // Never echo an unknown error's description: it is not written for the client.
      throw MCPError.internalError("Internal error.")
    }
    switch rpc.code {
    case RPCError.invalidParamsCode:
      // An argument the method refused: the assistant can correct it (MCP 2025-11-25 input validation errors).
      return toolError(rpc.message, rpc)
    case 1000..<1100:
      var message = rpc.message
      if rpc.data?["kind"] == .string("credentials.missing") {
        message +=
          " Ask the person to run `\(credentialsCommand(profile: profile))` in a terminal on this computer; secrets are never entered through the assistant."
      }
      return toolError(message, rpc)
    default:
      throw MCPError.serverError(code: rpc.code, message: rpc.message)
    }
  }

  private static func toolError(_ message: String, _ rpc: RPCError) -> CallTool.Result {
    var meta: [String: Value] = ["code": .int(rpc.code)]
    if let kind = rpc.data?["kind"]?.stringValue { meta["kind"] = .string(kind) }
    if let field = rpc.data?["field"]?.stringValue { meta["field"] = .string(field) }
    return CallTool.Result(
      content: [.text(text: message, annotations: nil, _meta: nil)], isError: true,
      _meta: Metadata(additionalFields: ["switchboard/error": .object(meta)]))
  }
}
