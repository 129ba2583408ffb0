import Foundation
import Switchboard
import Telephony
import Vault

/// The one place the process reads its environment into configuration: every `SWITCHBOARD_*`
/// variable the service honours and the standard networking ones, into one `ServiceConfiguration`
/// that is handed down (docs/contributing/environment.md lists them all). The log level is read by
/// `LogSetup`, the terminal's `NO_COLOR`/`COLUMNS` by `Terminal`.
enum EnvironmentConfiguration {
  /// The service's configuration from `environment` (the process's, by default).
  static func service(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ServiceConfiguration {
    ServiceConfiguration(
      home: home(environment),
      masterKey: masterKey(environment),
      vapiBaseURL: baseURL(environment["SWITCHBOARD_VAPI_BASE_URL"]) ?? VapiClient.defaultBaseURL,
      twilioBaseURL: baseURL(environment["SWITCHBOARD_TWILIO_BASE_URL"]) ?? TwilioClient.defaultBaseURL,
      http: httpPolicy(environment),
      network: environment.filter { networkVariables.contains($0.key.uppercased()) },
      idempotencySettle: nonNegativeInteger(environment["SWITCHBOARD_IDEMPOTENCY_SETTLE_MS"]).map { Double($0) / 1000 }
        ?? 60,
      testHooks: environment["SWITCHBOARD_TEST_HOOKS"] == "1")
  }

  /// The data folder: `$SWITCHBOARD_HOME`, else `$XDG_DATA_HOME/switchboard` (when absolute), else
  /// `~/.local/share/switchboard` (`$HOME`, else the user's home folder). Empty variables count as unset.
  static func home(_ environment: [String: String]) -> URL {
    if let value = environment["SWITCHBOARD_HOME"], !value.isEmpty {
      return URL(fileURLWithPath: value, isDirectory: true)
    }
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
      return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("switchboard", isDirectory: true)
    }
    let userHome: URL
    if let value = environment["HOME"], !value.isEmpty {
      userHome = URL(fileURLWithPath: value, isDirectory: true)
    } else {
      userHome = FileManager.default.homeDirectoryForCurrentUser
    }
    return userHome.appendingPathComponent(".local/share/switchboard", isDirectory: true)
  }

  /// `SWITCHBOARD_MASTER_KEY` when set and not empty, else the home folder's `master.key`.
  static func masterKey(_ environment: [String: String]) -> MasterKeySource {
    if let value = environment["SWITCHBOARD_MASTER_KEY"], !value.isEmpty { return .environment(value) }
    return .file
  }

  /// The defaults, overridden by `SWITCHBOARD_HTTP_TIMEOUT_MS`, `SWITCHBOARD_HTTP_CONNECT_TIMEOUT_MS`,
  /// `SWITCHBOARD_HTTP_MAX_RETRIES` (at most 10) and `SWITCHBOARD_HTTP_BACKOFF_MS`. Values that are
  /// not non-negative integers are ignored; the two timeouts must be positive.
  static func httpPolicy(_ environment: [String: String]) -> HTTPPolicy {
    var policy = HTTPPolicy()
    if let ms = nonNegativeInteger(environment["SWITCHBOARD_HTTP_TIMEOUT_MS"]), ms > 0 {
      policy.requestTimeout = .milliseconds(ms)
    }
    if let ms = nonNegativeInteger(environment["SWITCHBOARD_HTTP_CONNECT_TIMEOUT_MS"]), ms > 0 {
      policy.connectTimeout = .milliseconds(ms)
    }
    if let n = nonNegativeInteger(environment["SWITCHBOARD_HTTP_MAX_RETRIES"]) { policy.maxRetries = min(n, 10) }
    if let ms = nonNegativeInteger(environment["SWITCHBOARD_HTTP_BACKOFF_MS"]) {
      policy.backoffBase = .milliseconds(ms)
    }
    return policy
  }

  /// The variables the HTTP client honours, matched without regard to case.
  static let networkVariables: Set<String> = ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE"]

  /// A non-negative integer, or nil.
  private static func nonNegativeInteger(_ raw: String?) -> Int? {
    guard let raw = raw?.trimmingCharacters(in: .whitespaces), let value = Int(raw), value >= 0 else { return nil }
    return value
  }

  /// A base URL without trailing slashes, or nil when unset or empty.
  private static func baseURL(_ raw: String?) -> URL? {
    guard var text = raw, !text.isEmpty else { return nil }
    while text.hasSuffix("/") { text.removeLast() }
    return URL(string: text)
  }
}
