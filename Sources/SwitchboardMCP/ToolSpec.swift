import JSON

/// What MCP adds to an RPC method to make it a tool: a title, hints for the host, and notes for
/// the assistant. Everything else (schemas, summary, behaviour) comes from the method itself.
struct ToolSpec: Sendable {
  /// The RPC method, which is also the tool's name.
  var name: String
  var title: String
  var annotations: ToolAnnotations
  /// Sentences appended to the method's summary.
  var notes: [String] = []
  /// For methods that stream partial results: the result member the streamed items belong in.
  var partialResultsMember: String?
}

/// MCP's hints about a tool's behaviour, for the host (which may ask the person before a destructive call).
struct ToolAnnotations: Sendable {
  var title: String
  var readOnlyHint: Bool
  var destructiveHint: Bool?
  var idempotentHint: Bool?
  var openWorldHint: Bool?

  init(
    title: String, readOnlyHint: Bool, destructiveHint: Bool? = nil, idempotentHint: Bool? = nil,
    openWorldHint: Bool? = nil
  ) {
    self.title = title
    self.readOnlyHint = readOnlyHint
    self.destructiveHint = destructiveHint
    self.idempotentHint = idempotentHint
    self.openWorldHint = openWorldHint
  }

  /// The hints given, as `tools/list` shows them.
  var json: JSONValue {
    var object: JSONObject = ["title": .string(title), "readOnlyHint": .bool(readOnlyHint)]
    if let destructiveHint { object["destructiveHint"] = .bool(destructiveHint) }
    if let idempotentHint { object["idempotentHint"] = .bool(idempotentHint) }
    if let openWorldHint { object["openWorldHint"] = .bool(openWorldHint) }
    return .object(object)
  }
}
