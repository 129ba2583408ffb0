import JSONRPC

/// A Switchboard RPC method: its definition (`RPCMethod`) plus the handler, in one file.
protocol ServiceMethod: RPCMethod {
  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result
}

extension Router {
  /// Registers a service method (one line per method in `MethodTable`).
  mutating func add<M: ServiceMethod>(_ method: M.Type, service: SwitchboardService) {
    register(method) { params, context in try await M.handle(params, context: context, service: service) }
  }
}
