import JSON

/// The table of methods a connection dispatches on.
///
/// Registration binds an `RPCMethod` type to its handler; the same entries feed
/// `rpc.discover`. A router is a value: build it, then hand it to a `Connection`.
public struct Router: Sendable {
  struct Entry: Sendable {
    /// Built on demand (only `rpc.discover` needs it), so start-up does not pay for every schema.
    let descriptor: @Sendable () -> MethodDescriptor
    let rejectsUnknownParams: Bool
    let reportsProgress: Bool
    let prepare: @Sendable (JSONValue?) throws(RPCError) -> PreparedCall
  }

  private(set) var entries: [String: Entry] = [:]
  private(set) var order: [String] = []
  /// Client notifications the connection understands, documented in `rpc.discover` without a result.
  private(set) var notificationDescriptors: [MethodDescriptor] = []
  private var schemaBuilders: [(String, @Sendable () -> JSONSchema)] = []

  public init() {}

  /// Adds `method`, served by `handler`.
  public mutating func register<M: RPCMethod>(
    _ method: M.Type, strictParams: Bool = true,
    handler: @escaping @Sendable (M.Params, RequestContext) async throws -> M.Result
  ) {
    precondition(entries[M.name] == nil, "method \(M.name) registered twice")
    let decoder = JSONValueDecoder(
      rejectUnknownKeys: strictParams,
      allowedTopLevelKeys: M.reportsProgress ? ["workDoneToken", "partialResultToken"] : ["workDoneToken"])
    let entry = Entry(
      descriptor: { M.descriptor }, rejectsUnknownParams: strictParams, reportsProgress: M.reportsProgress
    ) { raw throws(RPCError) in
      let value: JSONValue
      switch raw {
      case nil, .null?: value = .object([:])  // `params: null` is the same as no params
      case .array: throw RPCError.invalidParams(field: "", reason: "must be an object (params are by-name)")
      case let raw?: value = raw
      }
      var tokens = ProgressTokens()
      if case .object(let object) = value {
        tokens = try ProgressTokens(object)
        // LSP allows `workDoneToken` on any request: a method without progress accepts and ignores it.
        if !M.reportsProgress { tokens = ProgressTokens() }
      }
      let params: M.Params
      do throws(ParamsError) {
        params = try decoder.decode(M.Params.self, from: value)
      } catch {
        throw error.rpcError
      }
      return PreparedCall(scheduling: M.scheduling(for: params), tokens: tokens) { context, shape in
        try shape.encode(try await handler(params, context))
      }
    }
    entries[M.name] = entry
    order.append(M.name)
  }

  /// Documents a client notification the connection handles itself.
  public mutating func documentNotification(_ descriptor: MethodDescriptor) {
    notificationDescriptors.append(descriptor)
  }

  /// Publishes a shared schema under `#/components/schemas/<name>` (built on demand).
  public mutating func registerSchema(_ name: String, _ schema: @autoclosure @escaping @Sendable () -> JSONSchema) {
    schemaBuilders.append((name, schema))
  }

  /// Shared schemas published under `components.schemas`.
  public var schemas: [(String, JSONSchema)] { schemaBuilders.map { ($0.0, $0.1()) } }

  /// The names of every method dispatched on, in registration order.
  public var methodNames: [String] { order }

  /// Every method descriptor (requests first, then notifications), in registration order.
  public var descriptors: [MethodDescriptor] {
    order.compactMap { entries[$0]?.descriptor() } + notificationDescriptors
  }

  func entry(_ name: String) -> Entry? { entries[name] }
}

/// A request whose params decoded: ready to run once its scheduling allows.
struct PreparedCall: Sendable {
  let scheduling: Scheduling
  let tokens: ProgressTokens
  /// Runs the handler and returns the encoded result, shaped as asked.
  let run: @Sendable (RequestContext, ReplyShape) async throws -> [UInt8]
}

/// How a call's result is written: bare, or as the whole reply message to `id` (so the frame goes
/// to the writer as encoded, with no copy), into one buffer of `capacity` bytes.
struct ReplyShape: Sendable {
  /// The request answered; nil for the bare result.
  var id: RequestID?
  var capacity: Int

  static let bare = ReplyShape(id: nil, capacity: 256)

  func encode<R: Encodable>(_ result: R) throws -> [UInt8] {
    if id == nil, let raw = result as? EncodedJSON { return raw.bytes }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(capacity)
    if let id { OutgoingMessage.appendResultHead(id: id, to: &bytes) }
    if let raw = result as? EncodedJSON {
      bytes.append(contentsOf: raw.bytes)
    } else {
      try JSONBytesEncoder().encode(result, appendingTo: &bytes)
    }
    if id != nil { bytes.append(UInt8(ascii: "}")) }
    return bytes
  }
}

/// The progress tokens found in a request's params.
struct ProgressTokens: Sendable {
  var workDone: ProgressToken?
  var partialResult: ProgressToken?

  init() {}

  init(_ object: JSONObject) throws(RPCError) {
    if let raw = object["workDoneToken"] {
      guard let token = ProgressToken(raw) else {
        throw RPCError.invalidParams(field: "/workDoneToken", reason: "must be a string or an integer")
      }
      workDone = token
    }
    if let raw = object["partialResultToken"] {
      guard let token = ProgressToken(raw) else {
        throw RPCError.invalidParams(field: "/partialResultToken", reason: "must be a string or an integer")
      }
      partialResult = token
    }
  }
}

/// A `$/progress` value of an in-process call, as the wire would carry it.
public enum InProcessProgress: Sendable {
  /// A work-done value: `{kind: "begin"|"report"|"end", title?, message?, percentage?}`.
  case workDone(JSONValue)
  /// One batch of partial results (for listings, an array of items).
  case partialResult(JSONValue)
}

extension Router {
  /// Calls a method in-process, with the same params validation as over the wire (for command-line
  /// and MCP front ends, and tests). With `onProgress`, a method that reports progress does so as
  /// if the client had sent both a `workDoneToken` and a `partialResultToken`. Cancelling the
  /// calling task cancels the call.
  public func call(
    _ method: String, params: JSONValue = .object([:]),
    onProgress: (@Sendable (InProcessProgress) -> Void)? = nil
  ) async throws -> JSONValue {
    guard let entry = entry(method) else { throw RPCError.methodNotFound(method) }
    let prepared = try entry.prepare(params)
    var context = RequestContext.detached(method: method)
    if let onProgress, entry.reportsProgress {
      var tokens = ProgressTokens()
      tokens.workDone = .string("work")
      tokens.partialResult = .string("partial")
      context = RequestContext(
        id: .number("0"), method: method,
        progress: ProgressChannel(tokens: tokens) { frame in
          guard let note = try? JSONParser.parse(frame), let value = note["params"]?["value"] else { return }
          let isWork = note["params"]?["token"] == .string("work")
          onProgress(isWork ? .workDone(value) : .partialResult(value))
        })
    }
    let bytes = try await prepared.run(context, .bare)
    context.progress.close()
    return try JSONParser.parse(bytes)
  }
}

/// A result that is already encoded JSON (written as is by the router).
public struct EncodedJSON: Encodable, Sendable {
  public let bytes: [UInt8]
  public init(bytes: [UInt8]) { self.bytes = bytes }
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(try JSONParser.parse(bytes))
  }
}
