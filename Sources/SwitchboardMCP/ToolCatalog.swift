import JSON
import JSONRPC

/// The tools `switchboard mcp` offers, in the order `tools/list` shows them.
///
/// No tool writes a secret: `setCredentials`, `clearCredentials` and `deleteProfile` stay on the
/// JSON-RPC face and the command line.
enum ToolCatalog {
  static let costsMoney =
    "It may cost money on the person's account: ask before calling. Pass an `idempotencyKey` you make up (for example a UUID) and reuse the same key if you retry after an error or timeout, so nothing is bought or imported twice."

  static let specs: [ToolSpec] = [
    ToolSpec(
      name: "listNumbers", title: "List Vapi numbers",
      annotations: .init(title: "List Vapi numbers", readOnlyHint: true, openWorldHint: true),
      partialResultsMember: "numbers"),
    ToolSpec(
      name: "listTwilio", title: "List Twilio numbers",
      annotations: .init(title: "List Twilio numbers", readOnlyHint: true, openWorldHint: true),
      notes: ["Each number says whether it is already in Vapi (importable numbers are those that are not)."],
      partialResultsMember: "numbers"),
    ToolSpec(
      name: "importNumber", title: "Import a Twilio number into Vapi",
      annotations: .init(
        title: "Import a Twilio number into Vapi", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
        openWorldHint: true),
      notes: ["Give `sid` or `phoneNumber`. The number's voice calls then go to Vapi.", costsMoney]),
    ToolSpec(
      name: "importNumbers", title: "Import Twilio numbers into Vapi",
      annotations: .init(
        title: "Import Twilio numbers into Vapi", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
        openWorldHint: true),
      notes: ["Each SID succeeds or fails on its own; the result lists both.", costsMoney],
      partialResultsMember: "results"),
    ToolSpec(
      name: "createNumber", title: "Create a Vapi number",
      annotations: .init(
        title: "Create a Vapi number", readOnlyHint: false, destructiveHint: false, idempotentHint: false,
        openWorldHint: true),
      notes: [costsMoney]),
    ToolSpec(
      name: "getNumber", title: "Get a Vapi number",
      annotations: .init(title: "Get a Vapi number", readOnlyHint: true, openWorldHint: true),
      notes: ["Give `id` (the Vapi id) or `number` (E.164, e.g. +14155550100), not both."]),
    ToolSpec(
      name: "getUsage", title: "Show call usage of Vapi numbers",
      annotations: .init(title: "Show call usage of Vapi numbers", readOnlyHint: true, openWorldHint: true),
      notes: [
        "Without `ids`, every number of the account. Pass `maxAgeSeconds` (for example 300) to reuse figures synced that recently without asking Vapi again; without it every number costs at least one request to Vapi."
      ],
      partialResultsMember: "usage"),
    ToolSpec(
      name: "updateNumber", title: "Update a Vapi number",
      annotations: .init(
        title: "Update a Vapi number", readOnlyHint: false, destructiveHint: true, idempotentHint: true,
        openWorldHint: true),
      notes: ["Only the fields given change; `null` clears a field."]),
    ToolSpec(
      name: "deleteNumber", title: "Release a Vapi number",
      annotations: .init(
        title: "Release a Vapi number", readOnlyHint: false, destructiveHint: true, idempotentHint: false,
        openWorldHint: true),
      notes: [
        "Irreversible. Ask the person first, and set `confirm` to the number (E.164) or id they confirmed: a mismatch deletes nothing."
      ]),
    ToolSpec(
      name: "deleteNumbers", title: "Release several Vapi numbers",
      annotations: .init(
        title: "Release several Vapi numbers", readOnlyHint: false, destructiveHint: true, idempotentHint: false,
        openWorldHint: true),
      notes: [
        "Irreversible. Ask the person first, showing the numbers. `confirm` must be exactly `release N numbers`, N being how many ids are given (e.g. `release 3 numbers`): anything else deletes nothing. Each id succeeds or fails on its own; the result lists both."
      ],
      partialResultsMember: "results"),
    ToolSpec(
      name: "verifyCredentials", title: "Verify the stored credentials",
      annotations: .init(title: "Verify the stored credentials", readOnlyHint: true, openWorldHint: true),
      notes: ["The keys themselves never leave Switchboard."]),
    ToolSpec(
      name: "getCredentialStatus", title: "Show which credentials are set",
      annotations: .init(title: "Show which credentials are set", readOnlyHint: true, openWorldHint: false),
      notes: [
        "Shows hints only. To add or change a credential, the person runs `switchboard credentials set --profile <profile>` in a terminal: secrets never pass through the assistant."
      ]),
    ToolSpec(
      name: "listOperations", title: "List recent changes",
      annotations: .init(title: "List recent changes", readOnlyHint: true, openWorldHint: false)),
    ToolSpec(
      name: "listProfiles", title: "List credential profiles",
      annotations: .init(title: "List credential profiles", readOnlyHint: true, openWorldHint: false)),
  ]

  static let byName: [String: ToolSpec] = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })

  /// Params the JSON-RPC face takes for `$/progress`; MCP carries progress in `_meta.progressToken` instead.
  static let progressParams: Set<String> = ["workDoneToken", "partialResultToken"]

  /// The MCP tools (`tools/list` entries), built from the router's method descriptors and shared schemas.
  static func tools(from router: Router) -> [JSONValue] {
    let inliner = SchemaInliner(router.schemas)
    let descriptors = Dictionary(router.descriptors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    return specs.map { spec in
      guard let descriptor = descriptors[spec.name], let result = descriptor.result else {
        preconditionFailure("tool \(spec.name) has no RPC method")
      }
      return [
        "name": .string(spec.name), "title": .string(spec.title),
        "description": .string(([descriptor.summary] + spec.notes).joined(separator: " ")),
        "inputSchema": inputSchema(descriptor, inliner), "outputSchema": outputSchema(result, inliner),
        "annotations": spec.annotations.json,
      ]
    }
  }

  /// The by-name params as one object schema.
  static func inputSchema(_ descriptor: MethodDescriptor, _ inliner: SchemaInliner) -> JSONValue {
    var properties = JSONObject()
    var required: [JSONValue] = []
    for param in descriptor.params where !progressParams.contains(param.name) {
      var schema = inliner.inline(param.schema.json)
      if let summary = param.summary, schema["description"] == nil, case .object(var object) = schema {
        object["description"] = .string(summary)
        schema = .object(object)
      }
      properties[param.name] = schema
      if param.required { required.append(.string(param.name)) }
    }
    var object: JSONObject = ["type": "object", "properties": .object(properties)]
    if !required.isEmpty { object["required"] = .array(required) }
    object["additionalProperties"] = false
    return .object(object)
  }

  /// The result schema, self-contained; every tool result is an object.
  static func outputSchema(_ result: ContentDescriptor, _ inliner: SchemaInliner) -> JSONValue {
    let schema = inliner.inline(result.schema.json)
    precondition(schema["type"] == .string("object"), "the result of a tool must be an object schema")
    return schema
  }
}
