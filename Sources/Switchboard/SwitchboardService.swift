import Foundation
import JSONRPC
import Logging

/// The service behind the RPC methods: configuration and the parts methods share.
public final class SwitchboardService: Sendable {
  public let environment: [String: String]
  let logger: Logger

  public init(environment: [String: String], logger: Logger) {
    self.environment = environment
    self.logger = logger
  }

  /// Whether the test-only methods (`test/*`) are served (`SWITCHBOARD_TEST_HOOKS=1`).
  var testHooksEnabled: Bool { environment["SWITCHBOARD_TEST_HOOKS"] == "1" }
}

extension SwitchboardService {
  /// Capabilities advertised in the `initialize` result.
  public var capabilities: JSONObject {
    ["switchboard": ["profiles": true, "idempotencyKeys": true, "partialResults": true]]
  }

  /// Releases resources (closes the store) before the process exits.
  public func close() {}
}
