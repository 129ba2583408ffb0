import JSON

/// Builds the bytes of outgoing messages (without framing).
///
/// `id` and `result` are written explicitly even when `null`, as JSON-RPC requires.
public enum OutgoingMessage {
  public static func result(id: RequestID, encodedResult: [UInt8]) -> [UInt8] {
    var writer = JSONWriter(capacity: encodedResult.count + 48)
    writer.writeRaw(#"{"jsonrpc":"2.0","id":"#)
    writer.write(id.json)
    writer.writeRaw(#","result":"#)
    writer.writeRaw(encodedResult)
    writer.writeRaw("}")
    return writer.bytes
  }

  /// Appends `{"jsonrpc":"2.0","id":…,"result":` (the caller then writes the result and `}`).
  static func appendResultHead(id: RequestID, to bytes: inout [UInt8]) {
    var writer = JSONWriter(adopting: bytes)
    bytes = []
    writer.writeRaw(#"{"jsonrpc":"2.0","id":"#)
    writer.write(id.json)
    writer.writeRaw(#","result":"#)
    bytes = writer.takeBytes()
  }

  /// A `$/progress` notification whose `value` is `encodable`, written straight to bytes.
  static func progress<T: Encodable>(token: JSONValue, value: T) throws -> [UInt8] {
    var head = JSONWriter(capacity: 512)
    head.writeRaw(#"{"jsonrpc":"2.0","method":"$/progress","params":{"token":"#)
    head.write(token)
    head.writeRaw(#","value":"#)
    var bytes = head.takeBytes()
    try JSONBytesEncoder().encode(value, appendingTo: &bytes)
    bytes.append(contentsOf: "}}".utf8)
    return bytes
  }

  public static func error(id: RequestID, _ error: RPCError) -> [UInt8] {
    var writer = JSONWriter(capacity: 128)
    writer.writeRaw(#"{"jsonrpc":"2.0","id":"#)
    writer.write(id.json)
    writer.writeRaw(#","error":"#)
    writer.write(error.json)
    writer.writeRaw("}")
    return writer.bytes
  }

  public static func notification(method: String, params: JSONValue) -> [UInt8] {
    var writer = JSONWriter(capacity: 128)
    writer.writeRaw(#"{"jsonrpc":"2.0","method":"#)
    writer.writeString(method)
    writer.writeRaw(#","params":"#)
    writer.write(params)
    writer.writeRaw("}")
    return writer.bytes
  }
}
