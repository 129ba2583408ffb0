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
