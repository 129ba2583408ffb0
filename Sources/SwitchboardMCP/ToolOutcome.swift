import JSON
import JSONRPC
import Switchboard

/// Turns a method's reply into what `tools/call` answers: a result with `structuredContent` and a
/// text block, a tool error (`isError: true`) the assistant can read and act on, or a JSON-RPC error.
enum ToolOutcome {
  /// Where a person enters credentials: on their own machine, never through the assistant.
  static func credentialsCommand(profile: String) -> String {
    "switchboard credentials set --profile \(profile)"
  }

  /// The result: the method's result as `structuredContent`, beside a short text for a person.
  static func success(tool: String, result: JSONValue) -> JSONValue {
    ["content": [text(ToolSummaries.text(tool: tool, result: result))], "structuredContent": result]
  }

  /// The result for a failed call, or a thrown JSON-RPC error for what is not the tool's own failure.
  static func failure(_ error: any Error, profile: String) throws(RPCError) -> JSONValue {
    // Never echo an unknown error's description: it is not written for the client.
    guard let rpc = (error as? any RPCErrorConvertible)?.rpcError else { throw RPCError.internalError }
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
      throw RPCError(code: rpc.code, message: rpc.message)
    }
  }

  private static func toolError(_ message: String, _ rpc: RPCError) -> JSONValue {
    var detail: JSONObject = ["code": .int(rpc.code)]
    if let kind = rpc.data?["kind"]?.stringValue { detail["kind"] = .string(kind) }
    if let field = rpc.data?["field"]?.stringValue { detail["field"] = .string(field) }
    return ["content": [text(message)], "isError": true, "_meta": ["switchboard/error": .object(detail)]]
  }

  private static func text(_ text: String) -> JSONValue { ["type": "text", "text": .string(text)] }
}
