import JSON

/// A JSON-RPC error object: `code`, one human sentence in `message`, machine detail in `data`.
public struct RPCError: Error, Sendable, Equatable {
  public var code: Int
  public var message: String
  public var data: JSONValue?

  public init(code: Int, message: String, data: JSONValue? = nil) {
    self.code = code
    self.message = message
    self.data = data
  }

  public var json: JSONValue {
    var object: JSONObject = ["code": .int(code), "message": .string(message)]
    if let data { object["data"] = data }
    return .object(object)
  }
}

extension RPCError {
  /// -32700: the frame is not JSON (or not UTF-8).
  public static let parseErrorCode = -32700
  /// -32600: valid JSON that is not a valid request (also oversized frames, duplicate ids, requests after shutdown).
  public static let invalidRequestCode = -32600
  /// -32601: no such method.
  public static let methodNotFoundCode = -32601
  /// -32602: params missing, of the wrong type or out of range.
  public static let invalidParamsCode = -32602
  /// -32603: a bug in the server.
  public static let internalErrorCode = -32603
  /// -32800 (LSP RequestCancelled): the client cancelled the request.
  public static let requestCancelledCode = -32800
  /// -32802 (LSP ServerCancelled): the server abandoned the request (shutdown).
  public static let serverCancelledCode = -32802

  public static func parseError(reason: String) -> RPCError {
    RPCError(
      code: parseErrorCode, message: "Parse error: the frame is not valid JSON.", data: ["reason": .string(reason)])
  }

  public static func invalidRequest(_ reason: String, data: JSONObject = [:]) -> RPCError {
    var data = data
    data["reason"] = .string(reason)
    return RPCError(code: invalidRequestCode, message: "Invalid request: \(reason).", data: .object(data))
  }

  public static func methodNotFound(_ method: String) -> RPCError {
    RPCError(code: methodNotFoundCode, message: "Method not found.", data: ["method": .string(bounded(method))])
  }

  /// -32602 naming the offending param by JSON Pointer; the value itself is never echoed, and a
  /// pointer longer than `maxEchoedCharacters` is cut short (it names a member the host sent).
  public static func invalidParams(field: String, reason: String) -> RPCError {
    let field = bounded(field)
    let reason =
      reason.utf8.count > 4 * maxEchoedCharacters ? String(reason.prefix(4 * maxEchoedCharacters)) + "…" : reason
    return RPCError(
      code: invalidParamsCode, message: "Invalid params: \(field.isEmpty ? "params" : field) \(reason).",
      data: ["field": .string(field), "reason": .string(reason)])
  }

  /// At most this many characters of anything the host sent (a method name, a param name) are echoed.
  public static let maxEchoedCharacters = 128

  /// `text`, cut to `maxEchoedCharacters` (with a trailing `…` when cut).
  public static func bounded(_ text: String) -> String {
    guard text.utf8.count > maxEchoedCharacters else { return text }
    return String(text.prefix(maxEchoedCharacters)) + "…"
  }

  public static let internalError = RPCError(code: internalErrorCode, message: "Internal error.")

  public static let requestCancelled = RPCError(code: requestCancelledCode, message: "Request cancelled.")

  public static let serverCancelled = RPCError(
    code: serverCancelledCode, message: "Request cancelled by the server because it is shutting down.")
}

/// An error that knows how it is shown to the client. Anything else becomes -32603 with a generic message.
public protocol RPCErrorConvertible: Error {
  var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
  public var rpcError: RPCError { self }
}

extension ParamsError: RPCErrorConvertible {
  public var rpcError: RPCError {
    var error = RPCError.invalidParams(field: pointer, reason: reason)
    if let message { error.message = message }
    return error
  }
}
