import JSON
import JSONRPC

/// `ping`: liveness check.
enum Ping: ServiceMethod {
  typealias Params = NoParams
  typealias Result = JSONValue
  static let name = "ping"
  static let summary = "Liveness check: answers `{}` at once, in any lifecycle state before `shutdown`."
  static let result = ContentDescriptor("Empty", .object([]), required: true)
  static let examples = [MethodExample("ping", result: .object([:]))]

  static func handle(_ params: NoParams, context: RequestContext, service: SwitchboardService) async throws -> JSONValue
  {
    .object([:])
  }
}
