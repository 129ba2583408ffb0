import Foundation
import Switchboard
import Telephony
import Vault
import XCTest

@testable import switchboard_cli

/// The one reader of the environment: every variable, its default, and what is ignored.
final class EnvironmentConfigurationTests: XCTestCase {
  func testHome() {
    let home = EnvironmentConfiguration.home
    XCTAssertEqual(home(["SWITCHBOARD_HOME": "/x/y", "XDG_DATA_HOME": "/data", "HOME": "/h"]).path, "/x/y")
    XCTAssertEqual(home(["SWITCHBOARD_HOME": "", "XDG_DATA_HOME": "/data", "HOME": "/h"]).path, "/data/switchboard")
    XCTAssertEqual(home(["XDG_DATA_HOME": "relative", "HOME": "/h"]).path, "/h/.local/share/switchboard")
    XCTAssertEqual(home(["HOME": "/h"]).path, "/h/.local/share/switchboard")
    XCTAssertTrue(home([:]).path.hasSuffix("/.local/share/switchboard"))
  }

  func testMasterKeySource() {
    XCTAssertEqual(EnvironmentConfiguration.masterKey([:]), .file)
    XCTAssertEqual(EnvironmentConfiguration.masterKey(["SWITCHBOARD_MASTER_KEY": ""]), .file)
    XCTAssertEqual(EnvironmentConfiguration.masterKey(["SWITCHBOARD_MASTER_KEY": "abc"]), .environment("abc"))
  }

  func testHTTPPolicy() {
    let p = EnvironmentConfiguration.httpPolicy([
      "SWITCHBOARD_HTTP_TIMEOUT_MS": "1500", "SWITCHBOARD_HTTP_CONNECT_TIMEOUT_MS": "200",
      "SWITCHBOARD_HTTP_MAX_RETRIES": "0", "SWITCHBOARD_HTTP_BACKOFF_MS": "10",
    ])
    XCTAssertEqual(p.requestTimeout, .milliseconds(1500))
    XCTAssertEqual(p.connectTimeout, .milliseconds(200))
    XCTAssertEqual(p.maxRetries, 0)
    XCTAssertEqual(p.backoffBase, .milliseconds(10))
    XCTAssertEqual(
      EnvironmentConfiguration.httpPolicy(["SWITCHBOARD_HTTP_MAX_RETRIES": "lots", "SWITCHBOARD_HTTP_TIMEOUT_MS": "-5"]
      ),
      HTTPPolicy())
    XCTAssertEqual(EnvironmentConfiguration.httpPolicy(["SWITCHBOARD_HTTP_MAX_RETRIES": "99"]).maxRetries, 10)
  }

  func testServiceConfiguration() {
    let config = EnvironmentConfiguration.service([
      "SWITCHBOARD_HOME": "/data/sb", "SWITCHBOARD_MASTER_KEY": "k",
      "SWITCHBOARD_VAPI_BASE_URL": "http://127.0.0.1:9/vapi//", "SWITCHBOARD_TWILIO_BASE_URL": "",
      "SWITCHBOARD_IDEMPOTENCY_SETTLE_MS": "2500", "SWITCHBOARD_TEST_HOOKS": "1",
      "https_proxy": "http://proxy:3128", "NO_PROXY": "localhost", "SSL_CERT_FILE": "/etc/ca.pem",
      "PATH": "/usr/bin", "AWS_SECRET_ACCESS_KEY": "not for us",
    ])
    XCTAssertEqual(config.home.path, "/data/sb")
    XCTAssertEqual(config.masterKey, .environment("k"))
    XCTAssertEqual(config.vapiBaseURL.absoluteString, "http://127.0.0.1:9/vapi")
    XCTAssertEqual(config.twilioBaseURL, TwilioClient.defaultBaseURL)
    XCTAssertEqual(config.idempotencySettle, 2.5)
    XCTAssertTrue(config.testHooks)
    XCTAssertEqual(
      config.network, ["https_proxy": "http://proxy:3128", "NO_PROXY": "localhost", "SSL_CERT_FILE": "/etc/ca.pem"],
      "only the networking variables reach the HTTP client")

    let defaults = EnvironmentConfiguration.service(["HOME": "/h"])
    XCTAssertEqual(defaults.vapiBaseURL, VapiClient.defaultBaseURL)
    XCTAssertEqual(defaults.idempotencySettle, 60)
    XCTAssertFalse(defaults.testHooks)
    XCTAssertEqual(defaults.http, HTTPPolicy())
    XCTAssertEqual(defaults.masterKey, .file)
  }
}
