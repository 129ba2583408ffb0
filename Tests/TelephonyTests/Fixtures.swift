import Foundation
import XCTest

@testable import Telephony

/// Shared test values. SIDs are built, not written out, so no literal looks like a credential.
enum Fixture {
  static let accountSid = "AC" + String(repeating: "0a", count: 14) + "beef"
  static let authToken = "tok_" + String(repeating: "x", count: 28)
  static let vapiKey = "vapi-private-" + String(repeating: "k", count: 20)
  static let numberSid = "PN" + String(repeating: "1f", count: 16)

  static func policy(maxRetries: Int = 2, timeout: Duration = .seconds(10), maxRetryAfter: Duration = .seconds(2))
    -> HTTPPolicy
  {
    HTTPPolicy(
      connectTimeout: .seconds(5), requestTimeout: timeout, maxRetries: maxRetries, backoffBase: .milliseconds(5),
      backoffCap: .milliseconds(20), maxRetryAfter: maxRetryAfter)
  }

  static func vapi(_ server: TestHTTPServer, policy: HTTPPolicy = policy(), events: Box<[HTTPEvent]>? = nil)
    -> VapiClient
  {
    var observer: (@Sendable (HTTPEvent) -> Void)?
    if let events {
      observer = { event in events.update { $0.append(event) } }
    }
    let transport = HTTPTransport(policy: policy, environment: [:], observer: observer)
    return VapiClient(baseURL: server.baseURL, apiKey: vapiKey, transport: transport, version: "1.2.3")
  }

  static func twilio(_ server: TestHTTPServer, base: URL? = nil, policy: HTTPPolicy = policy()) -> TwilioClient {
    TwilioClient(
      baseURL: base ?? server.baseURL, accountSid: accountSid, authToken: authToken,
      transport: HTTPTransport(policy: policy, environment: [:]), version: "1.2.3")
  }

  static func vapiNumberJSON(id: String, createdAt: String = "2025-01-01T00:00:00.000Z", extra: String = "") -> String {
    """
    {"id":"\(id)","orgId":"org","provider":"twilio","number":"+14155550100","name":"Main",\
    "status":"active","createdAt":"\(createdAt)","updatedAt":"\(createdAt)","smsEnabled":false,\
    "twilioAccountSid":"\(accountSid)","twilioAuthToken":"\(authToken)"\(extra)}
    """
  }
}

/// Asserts that `body` throws an `UpstreamError` and returns it.
func expectUpstreamError<T>(
  _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> UpstreamError? {
  do {
    _ = try await body()
    XCTFail("expected UpstreamError, got success", file: file, line: line)
  } catch let e as UpstreamError {
    return e
  } catch {
    XCTFail("expected UpstreamError, got \(error)", file: file, line: line)
  }
  return nil
}
