import Foundation
import JSON
import JSONRPC
import Logging
import Synchronization
import Telephony
import Vault

/// The service behind the RPC methods: configuration and the parts methods share.
///
/// The store is opened on first use (so `ping` and `rpc.discover` answer without touching disk)
/// and a failure to open it is reported by each method that needs it, not by crashing.
public final class SwitchboardService: Sendable {
  /// What the executable read from the environment.
  public let configuration: ServiceConfiguration
  let logger: Logger
  private let vaultState = Mutex<Result<Vault, VaultError>?>(nil)
  private let upstreamState = Mutex<UpstreamConfiguration?>(nil)
  /// Idempotency keys being worked on by this process (profile + key).
  let idempotencyInProgress = Mutex<Set<String>>([])

  public init(configuration: ServiceConfiguration, logger: Logger) {
    self.configuration = configuration
    self.logger = logger
  }

  /// Base URLs and the shared HTTP transport, made on first use.
  var upstream: UpstreamConfiguration {
    upstreamState.withLock { state in
      if let state { return state }
      let logger = self.logger
      let made = UpstreamConfiguration(configuration) { event in
        let status = event.status.map(String.init) ?? (event.failure ?? "no reply")
        let retry = event.retryDelay.map { ", retrying in \($0)" } ?? ""
        logger.debug(
          "HTTP \(event.provider.rawValue) \(event.method) \(event.pathTemplate) -> \(status) (attempt \(event.attempt), \(event.duration)\(retry))"
        )
      }
      state = made
      return made
    }
  }

  /// How long after an attempt of an idempotent write ended without a known outcome no new POST
  /// is sent under its key: Vapi may still be processing it. Measured from the end of the attempt
  /// (the configured window, default 60 s) and never shorter than the HTTP deadline plus one second,
  /// so a reply slower than the deadline still lands inside it.
  var idempotencySettle: TimeInterval {
    max(configuration.idempotencySettle, httpDeadline + 1)
  }

  /// The hard per-attempt deadline of an upstream call, in seconds.
  var httpDeadline: TimeInterval {
    let parts = configuration.http.requestTimeout.components
    return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
  }

  /// Whether the test-only methods (`test/*`) are served. Only debug builds have the code
  /// (`#if SWITCHBOARD_TEST_HOOKS`); they serve it on request.
  var testHooksEnabled: Bool { configuration.testHooks }

  /// The credential store, opened on first use.
  func vault() throws(VaultError) -> Vault {
    let result = vaultState.withLock { state -> Result<Vault, VaultError> in
      if let state { return state }
      let opened: Result<Vault, VaultError>
      do {
        opened = .success(try Vault.open(home: configuration.home, masterKey: configuration.masterKey))
      } catch let error as VaultError {
        opened = .failure(error)
      } catch {
        opened = .failure(.io("open failed"))
      }
      if case .success(let vault) = opened, let reason = vault.lockReason {
        logger.warning("The credential store is locked", metadata: ["reason": "\(reason.rawValue)"])
      }
      if case .failure(let error) = opened {
        logger.error("The credential store could not be opened", metadata: ["error": "\(error)"])
      } else {
        state = opened
      }
      return opened
    }
    return try result.get()
  }

  /// Capabilities advertised in the `initialize` result.
  public var capabilities: JSONObject {
    ["switchboard": ["profiles": true, "idempotencyKeys": true, "partialResults": true]]
  }

  /// Closes the store (called before the process exits).
  public func close() {
    // Stops the HTTP client (its thread and connections) if an upstream call ever started it.
    upstreamState.withLock { $0 }?.transport.shutdown()
    let vault = vaultState.withLock { state -> Vault? in
      defer { state = nil }
      if case .success(let vault)? = state { return vault }
      return nil
    }
    do { try vault?.close() } catch { logger.error("Closing the credential store failed") }
  }
}
