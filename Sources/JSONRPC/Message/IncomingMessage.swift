import JSON

/// One decoded JSON-RPC message from the client, validated in the order the spec gives:
/// parse, then envelope, then method, then params.
public enum IncomingMessage: Sendable, Equatable {
  case request(id: RequestID, method: String, params: JSONValue?)
  case notification(method: String, params: JSONValue?)
  /// A reply from the client (we send no requests, so it is logged and dropped).
  case response(id: RequestID?)
  /// Not a valid request; reply -32600 with `id` (null when it could not be read).
  case invalid(id: RequestID, reason: String)

  /// Classifies one element (a whole frame, or one item of a batch).
  public init(_ value: JSONValue) {
    guard case .object(let object) = value else {
      self = .invalid(id: .null, reason: "a request must be a JSON object")
      return
    }
    var id: RequestID? = nil
    if let rawID = object["id"] {
      guard let parsed = RequestID(rawID) else {
        self = .invalid(id: .null, reason: "id must be a string, a number or null")
        return
      }
      id = parsed
    }
    guard object["jsonrpc"] == .string("2.0") else {
      self = .invalid(id: id ?? .null, reason: "jsonrpc must be exactly \"2.0\"")
      return
    }
    guard let methodValue = object["method"] else {
      if object["result"] != nil || object["error"] != nil {
        self = .response(id: id)
      } else {
        self = .invalid(id: id ?? .null, reason: "method is missing")
      }
      return
    }
    guard case .string(let method) = methodValue else {
      self = .invalid(id: id ?? .null, reason: "method must be a string")
      return
    }
    // `"params": null` means the same as no params (pygls and other LSP clients send it).
    var params = object["params"]
    if params == .null { params = nil }
    switch params {
    case nil, .object?, .array?: break
    default:
      self = .invalid(id: id ?? .null, reason: "params must be an object or an array")
      return
    }
    if let id {
      self = .request(id: id, method: method, params: params)
    } else {
      self = .notification(method: method, params: params)
    }
  }
}
