import JSON
import JSONRPC

/// MCP's `initialize`: protocol version negotiation and what the server says about itself.
struct Handshake: Sendable {
  /// The versions served, newest first. Both have `structuredContent`, `outputSchema` and tool titles;
  /// older ones do not, so a client asking for one is answered with the newest (as for an unknown one).
  static let supportedVersions = ["2025-11-25", "2025-06-18"]

  let version: String
  let instructions: String

  /// The version the session speaks: the client's when it is supported, else the newest.
  static func negotiate(_ requested: String) -> String {
    supportedVersions.contains(requested) ? requested : supportedVersions[0]
  }

  /// The `initialize` result for these params.
  func result(_ params: JSONValue?) throws(RPCError) -> JSONValue {
    guard let requested = params?["protocolVersion"]?.stringValue else {
      throw RPCError.invalidParams(field: "/protocolVersion", reason: "must be a string")
    }
    return [
      "protocolVersion": .string(Self.negotiate(requested)),
      "capabilities": ["tools": ["listChanged": false]],
      "serverInfo": ["name": "switchboard", "title": "Switchboard", "version": .string(version)],
      "instructions": .string(instructions),
    ]
  }
}
