import JSON

/// `initialize`: optional LSP-style handshake.
public enum InitializeMethod: RPCMethod {
  /// Unknown LSP members are ignored (registered with `strictParams: false`); the ones listed are
  /// published, and the two the server uses are checked.
  public struct Params: MethodParams {
    @Param(schema: .nullable(.integer(minimum: 1)), summary: "The client's pid; the server exits when it dies.")
    public var processId: Int?
    @Param public var clientInfo: ClientInfo?
    @Param(description: "Client capabilities (accepted, currently unused).") public var capabilities: JSONValue?
    @Param(description: "Accepted, currently unused.") public var initializationOptions: JSONValue?
    @Param(schema: .string(enumValues: ["off", "messages", "verbose"])) public var trace: JSONValue?

    public init() {}

    public struct ClientInfo: PlainParamValue {
      public var name: String
      public var version: String?
      public static var schema: JSONSchema {
        .object([("name", .string()), ("version", .string())], required: ["name"], open: true)
      }
    }
  }
  public typealias Result = JSONValue
  public static let name = "initialize"
  public static let summary =
    "Optional handshake: tells the server who the client is; returns server info and capabilities."
  public static let description: String? =
    "Requests work without it. When sent, it must be the first request and is accepted once; `processId` makes the server exit when that process dies. Unknown LSP fields are ignored."
  public static let result = ContentDescriptor(
    "InitializeResult",
    .object(
      [
        ("serverInfo", .object([("name", .string()), ("version", .string())], required: ["name", "version"])),
        ("protocolVersion", .string()),
        ("capabilities", .object([], open: true)),
      ], required: ["serverInfo", "capabilities", "protocolVersion"], open: true), required: true)
  public static let errors = [
    ErrorDescriptor(code: RPCError.invalidRequestCode, message: "Invalid request: already initialized.")
  ]
  public static func scheduling(for params: Params) -> Scheduling { .sequential }
}

/// `shutdown`: stop work, then wait for `exit`.
public enum ShutdownMethod: RPCMethod {
  public typealias Params = NoParams
  public typealias Result = NullResult
  public static let name = "shutdown"
  public static let summary =
    "Cancels in-flight requests (they end with -32802), returns null; every later request gets -32600. Send `exit` next."
  public static let result = ContentDescriptor("null", .null, required: true)
  public static let examples = [MethodExample("shutdown", result: .null)]
  public static func scheduling(for params: Params) -> Scheduling { .sequential }
}

/// `rpc.discover`: the OpenRPC document.
public enum DiscoverMethod: RPCMethod {
  public typealias Params = NoParams
  public typealias Result = EncodedJSON
  public static let name = "rpc.discover"
  public static let summary =
    "Returns the OpenRPC 1.3 document describing every method, generated from the router's definitions."
  public static let result = ContentDescriptor(
    "OpenRPC", .object([], description: "An OpenRPC document (https://spec.open-rpc.org).", open: true), required: true)
}

/// The client notifications the connection itself handles, as documented in `rpc.discover`.
enum ClientNotifications {
  static let all: [MethodDescriptor] = [
    MethodDescriptor(
      name: "initialized", summary: "Notification sent after the `initialize` reply; accepted and ignored.",
      params: [], result: nil, extensions: ["x-notification": true]),
    MethodDescriptor(
      name: "exit",
      summary:
        "Notification: end the process (status 0 after `shutdown` or without `initialize`, else 1, as in LSP).",
      params: [], result: nil, extensions: ["x-notification": true]),
    MethodDescriptor(
      name: "$/cancelRequest",
      summary:
        "Notification: cancel the request with this id; it ends with -32800. A cancel that arrives before its request is remembered (the latest 4096, for 60 s).",
      params: [ContentDescriptor("id", .oneOf([.string(), .integer(), .number()]), required: true)], result: nil,
      extensions: ["x-notification": true]),
  ]
}
