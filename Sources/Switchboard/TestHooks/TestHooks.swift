import JSON
import JSONRPC

#if SWITCHBOARD_TEST_HOOKS
// Methods served only with SWITCHBOARD_TEST_HOOKS=1, so end-to-end tests can drive the engine
// (slow requests, progress, internal errors) without a network. Never enabled in production.

/// `test/sleep`: waits, reporting progress, until done or cancelled.
enum TestSleep: ServiceMethod {
  struct Params: MethodParams {
    @Param(schema: .integer(minimum: 0, maximum: 600_000)) var ms: Int
    @Param(schema: .integer(minimum: 1, maximum: 1000)) var steps: Int?
    @Param(description: "Scheduling key (readers share, writers exclusive).") var key: String?
    @Param var exclusive: Bool?
  }
  typealias Result = JSONValue
  static let name = "test/sleep"
  static let summary = "Test hook: sleeps `ms` milliseconds in `steps` steps with progress; honours cancellation."
  static let result = ContentDescriptor("Slept", .object([("sleptMs", .integer())]), required: true)
  static let reportsProgress = true
  static let extensions: JSONObject = ["x-test-only": true]

  static func scheduling(for params: Params) -> Scheduling {
    guard let key = params.key else { return .concurrent }
    return params.exclusive == true ? .exclusive(key) : .shared(key)
  }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> JSONValue {
    let steps = max(1, params.steps ?? 1)
    context.beginProgress(title: "Sleeping", percentage: 0)
    for step in 1...steps {
      try await Task.sleep(for: .milliseconds(params.ms / steps))
      context.reportProgress(message: "step \(step) of \(steps)", percentage: step * 100 / steps)
      context.sendPartialResult(.array([.int(step)]))
    }
    context.endProgress(message: "done")
    return ["sleptMs": .int(params.ms)]
  }
}

/// `test/echo`: returns its `value` param.
enum TestEcho: ServiceMethod {
  struct Params: MethodParams {
    @Param var value: JSONValue
  }
  typealias Result = JSONValue
  static let name = "test/echo"
  static let summary = "Test hook: returns `value` unchanged."
  static let result = ContentDescriptor("value", .any(), required: true)
  static let extensions: JSONObject = ["x-test-only": true]

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> JSONValue {
    params.value
  }
}

/// `test/fail`: throws an error that is not an RPC error (→ -32603).
enum TestFail: ServiceMethod {
  typealias Params = NoParams
  typealias Result = JSONValue
  static let name = "test/fail"
  static let summary = "Test hook: fails with an unexpected error, which must surface as -32603."
  static let result = ContentDescriptor("never", .null, required: true)
  static let extensions: JSONObject = ["x-test-only": true]

  struct Unexpected: Error {}

  static func handle(_ params: NoParams, context: RequestContext, service: SwitchboardService) async throws -> JSONValue
  {
    throw Unexpected()
  }
}
#endif
