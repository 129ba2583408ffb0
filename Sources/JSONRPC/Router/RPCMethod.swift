import JSON

/// One JSON-RPC method: its name, typed params and result, and its documentation, in one place.
///
/// The router dispatches on these types and `rpc.discover` describes them, so the OpenRPC
/// document cannot drift from what is served. Params are always by-name (a JSON object).
public protocol RPCMethod: Sendable {
  associatedtype Params: Decodable & Sendable
  associatedtype Result: Encodable & Sendable

  static var name: String { get }
  /// One line: what the method does.
  static var summary: String { get }
  /// Longer prose, if any.
  static var description: String? { get }
  /// The by-name params, as OpenRPC content descriptors (for `MethodParams`, from their declaration).
  static var params: [ContentDescriptor] { get }
  /// The result, as an OpenRPC content descriptor.
  static var result: ContentDescriptor { get }
  /// The errors this method can return besides the protocol-level ones.
  static var errors: [ErrorDescriptor] { get }
  static var examples: [MethodExample] { get }
  /// `x-` extensions for the OpenRPC method object.
  static var extensions: JSONObject { get }
  /// Whether the method reads `workDoneToken` / `partialResultToken` (it may then send `$/progress`).
  static var reportsProgress: Bool { get }
  /// How a request is ordered against the others, decided from its params when it arrives.
  static func scheduling(for params: Params) -> Scheduling
}

extension RPCMethod {
  public static var description: String? { nil }
  public static var errors: [ErrorDescriptor] { [] }
  public static var examples: [MethodExample] { [] }
  public static var extensions: JSONObject { [:] }
  public static var reportsProgress: Bool { false }
  public static func scheduling(for params: Params) -> Scheduling { .concurrent }

  /// The descriptor `rpc.discover` publishes for this method.
  public static var descriptor: MethodDescriptor {
    var params = Self.params
    if reportsProgress {
      params.append(
        ContentDescriptor(
          "workDoneToken", ProgressToken.schema, summary: "Send `$/progress` begin/report/end on this token."))
      params.append(
        ContentDescriptor(
          "partialResultToken", ProgressToken.schema, summary: "Stream partial results as `$/progress` on this token."))
    }
    return MethodDescriptor(
      name: name, summary: summary, description: description, params: params, result: result, errors: errors,
      examples: examples, extensions: extensions)
  }
}

/// Params for methods that take none (an empty object, or no `params` member).
public struct NoParams: MethodParams, Codable, Equatable {
  public init() {}
  public init(from decoder: any Decoder) throws {
    _ = try decoder.container(keyedBy: DynamicKey.self)
  }
  public func encode(to encoder: any Encoder) throws {
    _ = encoder.container(keyedBy: DynamicKey.self)
  }
}

/// A result that is JSON `null` (for example `shutdown`).
public struct NullResult: Encodable, Sendable, Equatable {
  public init() {}
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encodeNil()
  }
}

/// How a request is ordered against others that are in flight.
public enum Scheduling: Sendable, Equatable {
  /// Runs as soon as it arrives.
  case concurrent
  /// Shares `key` with other shared calls, after every exclusive call on `key` that arrived before it.
  case shared(String)
  /// Holds `key` alone, after everything on `key` that arrived before it.
  case exclusive(String)
  /// Runs at once, and the next message is read only after its reply (`initialize`, `shutdown`).
  case sequential
}
