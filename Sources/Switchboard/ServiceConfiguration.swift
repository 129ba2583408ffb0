import Foundation
import Telephony
import Vault

/// Everything the service takes from outside, read once (by the executable, from its environment:
/// docs/contributing/environment.md) and handed down. Nothing below the executable reads the
/// environment itself.
public struct ServiceConfiguration: Sendable {
  /// The data folder (`SWITCHBOARD_HOME`).
  public var home: URL
  /// Where the master key comes from (`SWITCHBOARD_MASTER_KEY`, else `master.key`).
  public var masterKey: MasterKeySource
  /// Vapi's base URL (`SWITCHBOARD_VAPI_BASE_URL`).
  public var vapiBaseURL: URL
  /// Twilio's base URL (`SWITCHBOARD_TWILIO_BASE_URL`).
  public var twilioBaseURL: URL
  /// Timeouts and the retry budget (`SWITCHBOARD_HTTP_*`).
  public var http: HTTPPolicy
  /// The standard networking variables the HTTP client honours (`HTTPS_PROXY`, `HTTP_PROXY`,
  /// `ALL_PROXY`, `NO_PROXY`, either case, and `SSL_CERT_FILE`), and nothing else.
  public var network: [String: String]
  /// How long after an attempt with an unknown outcome no new POST goes out under its key
  /// (`SWITCHBOARD_IDEMPOTENCY_SETTLE_MS`); the service never uses less than the deadline + 1 s.
  public var idempotencySettle: TimeInterval
  /// Whether to serve the `test/*` methods (`SWITCHBOARD_TEST_HOOKS=1`; debug builds only).
  public var testHooks: Bool

  /// A configuration; everything but `home` has the production default.
  public init(
    home: URL, masterKey: MasterKeySource = .file, vapiBaseURL: URL = VapiClient.defaultBaseURL,
    twilioBaseURL: URL = TwilioClient.defaultBaseURL, http: HTTPPolicy = HTTPPolicy(), network: [String: String] = [:],
    idempotencySettle: TimeInterval = 60, testHooks: Bool = false
  ) {
    self.home = home
    self.masterKey = masterKey
    self.vapiBaseURL = vapiBaseURL
    self.twilioBaseURL = twilioBaseURL
    self.http = http
    self.network = network
    self.idempotencySettle = idempotencySettle
    self.testHooks = testHooks
  }
}
