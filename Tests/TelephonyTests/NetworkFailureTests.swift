import Foundation
import XCTest

@testable import Telephony

/// The failures AsyncHTTPClient reports, produced for real on 127.0.0.1, and how they map.
final class NetworkFailureTests: XCTestCase {
  private let create = VapiCreateBody.vapi(areaCode: "415", name: "Sales", fallbackNumber: nil)

  private func client(_ base: String, env: [String: String] = [:], events: Box<[HTTPEvent]>? = nil, maxRetries: Int = 2)
    -> (VapiClient, HTTPTransport)
  {
    let transport = HTTPTransport(policy: Fixture.policy(maxRetries: maxRetries), environment: env) { e in
      events?.update { $0.append(e) }
    }
    return (VapiClient(baseURL: URL(string: base)!, apiKey: Fixture.vapiKey, transport: transport), transport)
  }

  func testHostNotFoundIsNotSentSoAWriteIsRetriedAndRefused() async throws {
    let events = Box<[HTTPEvent]>([])
    let (vapi, _) = client("http://switchboard-test.invalid", events: events)
    let e = await expectUpstreamError { try await vapi.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .unavailable, "nothing was sent: not an unknown outcome")
    XCTAssertEqual(e?.reason, "DNS lookup failed")
    XCTAssertEqual(events.value.map(\.failure), Array(repeating: "DNS lookup failed", count: 3))
  }

  func testNonHTTPReplyIsFatalForAReadAndUnknownForAWrite() async throws {
    let server = try TestHTTPServer { _, _ in .raw(Data("SSH-2.0-OpenSSH_9.2\r\n\r\n".utf8)) }
    defer { server.stop() }
    let (vapi, _) = client(server.baseURL.absoluteString)
    let read = await expectUpstreamError { try await vapi.getPhoneNumber(id: "a") }
    XCTAssertEqual(read?.kind, .unavailable)
    XCTAssertEqual(read?.reason, "non-HTTP reply")
    XCTAssertEqual(server.requestCount, 1, "a non-HTTP reply is not retried")
    let write = await expectUpstreamError { try await vapi.createPhoneNumber(self.create) }
    XCTAssertEqual(write?.kind, .outcomeUnknown)
    XCTAssertEqual(server.requestCount, 2)
  }

  func testResetGetIsRetriedAndReportedAsLost() async throws {
    let server = try TestHTTPServer { _, _ in .reset }
    defer { server.stop() }
    let events = Box<[HTTPEvent]>([])
    let (vapi, _) = client(server.baseURL.absoluteString, events: events, maxRetries: 1)
    let e = await expectUpstreamError { try await vapi.getPhoneNumber(id: "a") }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "connection reset or lost")
    XCTAssertEqual(server.requestCount, 2)
  }

  func testTransportStartsOnFirstRequestAndRefusesAfterShutdown() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, Fixture.vapiNumberJSON(id: "a")) }
    defer { server.stop() }
    let (vapi, transport) = client(server.baseURL.absoluteString)
    XCTAssertFalse(transport.started, "no HTTP client before the first request")
    _ = try await vapi.getPhoneNumber(id: "a")
    XCTAssertTrue(transport.started)
    transport.shutdown()
    XCTAssertFalse(transport.started)
    let e = await expectUpstreamError { try await vapi.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .unavailable, "nothing was sent")
    XCTAssertEqual(e?.reason, "shut down")
    XCTAssertEqual(server.requestCount, 1)
  }

  // MARK: - Proxies from the environment

  func testHTTPProxyFromTheEnvironmentCarriesRequestsWithItsCredentials() async throws {
    let server = try TestHTTPServer { _, _ in .json(201, Fixture.vapiNumberJSON(id: "via-proxy")) }
    defer { server.stop() }
    let proxy = try TestHTTPServer { _, _ in .tunnel(port: server.port) }
    defer { proxy.stop() }
    for name in ["HTTP_PROXY", "http_proxy"] {
      let (vapi, transport) = client(
        server.baseURL.absoluteString, env: [name: "http://proxy%20user:s3cret@127.0.0.1:\(proxy.port)"])
      let n = try await vapi.createPhoneNumber(create)
      XCTAssertEqual(n.id, "via-proxy")
      transport.shutdown()
    }
    let connects = proxy.requests
    XCTAssertEqual(connects.map(\.method), ["CONNECT", "CONNECT"])
    XCTAssertEqual(connects.first?.target, "127.0.0.1:\(server.port)")
    let expected = "Basic " + Data("proxy user:s3cret".utf8).base64EncodedString()
    XCTAssertEqual(connects.first?.headers["proxy-authorization"], expected)
    XCTAssertNil(server.requests.first?.headers["proxy-authorization"], "proxy credentials stay with the proxy")
    XCTAssertEqual(server.requests.map(\.method), ["POST", "POST"])
  }

  func testNoProxyGoesDirectAndHTTPSProxyIsNotUsedForHTTP() async throws {
    let server = try TestHTTPServer { _, _ in .json(200, Fixture.vapiNumberJSON(id: "direct")) }
    defer { server.stop() }
    let proxy = try TestHTTPServer { _, _ in .tunnel(port: server.port) }
    defer { proxy.stop() }
    let proxyURL = "127.0.0.1:\(proxy.port)"
    for env in [
      ["HTTP_PROXY": proxyURL, "NO_PROXY": "example.com, 127.0.0.1"],
      ["http_proxy": proxyURL, "no_proxy": "*"],
      ["HTTPS_PROXY": proxyURL],
    ] {
      let (vapi, transport) = client(server.baseURL.absoluteString, env: env)
      _ = try await vapi.getPhoneNumber(id: "direct")
      transport.shutdown()
    }
    XCTAssertEqual(proxy.requestCount, 0)
    XCTAssertEqual(server.requestCount, 3)
  }

  func testUnreachableProxyIsNotSentAndUnusableProxyIsRefused() async throws {
    let server = try TestHTTPServer { _, _ in .json(201, Fixture.vapiNumberJSON(id: "x")) }
    defer { server.stop() }
    let events = Box<[HTTPEvent]>([])
    let (viaDeadProxy, _) = client(
      server.baseURL.absoluteString, env: ["ALL_PROXY": "http://127.0.0.1:\(TestHTTPServer.closedPort())"],
      events: events)
    let e = await expectUpstreamError { try await viaDeadProxy.createPhoneNumber(self.create) }
    XCTAssertEqual(e?.kind, .unavailable)
    XCTAssertEqual(e?.reason, "cannot connect")
    XCTAssertEqual(events.value.count, 3, "nothing was sent, so the write is retried")

    let (viaTLSProxy, _) = client(server.baseURL.absoluteString, env: ["HTTP_PROXY": "https://127.0.0.1:3128"])
    let e2 = await expectUpstreamError { try await viaTLSProxy.createPhoneNumber(self.create) }
    XCTAssertEqual(e2?.kind, .unavailable, "never sent direct instead")
    XCTAssertEqual(e2?.reason, "unusable proxy setting")
    XCTAssertEqual(server.requestCount, 0)
  }
}

final class ProxyEnvironmentTests: XCTestCase {
  func testParsesLikeCurl() throws {
    let p = try XCTUnwrap(ProxyServer(parsing: "http://u%40x:p%3Aw@proxy.local:3128/"))
    XCTAssertEqual(p, ProxyServer(kind: .http, host: "proxy.local", port: 3128, username: "u@x", password: "p:w"))
    XCTAssertEqual(ProxyServer(parsing: "proxy.local"), ProxyServer(kind: .http, host: "proxy.local", port: 1080))
    XCTAssertEqual(ProxyServer(parsing: "socks5h://[::1]:9050")?.kind, .socks5)
    XCTAssertEqual(ProxyServer(parsing: "socks5h://[::1]:9050")?.host, "::1")
    XCTAssertNil(ProxyServer(parsing: "https://proxy.local:443"))
    XCTAssertNil(ProxyServer(parsing: "socks5://u:p@proxy.local"))
    XCTAssertNil(ProxyServer(parsing: "  "))
  }

  func testChoosesBySchemeWithLowerCaseWinningAndNoProxy() {
    let env = ProxyEnvironment.from([
      "https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "HTTP_PROXY": "http://plain:3",
      "ALL_PROXY": "socks5://all:4", "NO_PROXY": " .internal.example ,10.0.0.1,[::1]:8080, localhost:5000",
    ])
    func host(_ url: String) -> String? {
      if case .proxy(let p) = env.setting(for: URL(string: url)!) { return p.host }
      return nil
    }
    XCTAssertEqual(host("https://api.vapi.ai/phone-number"), "lower")
    XCTAssertEqual(host("http://api.vapi.ai/"), "plain")
    XCTAssertNil(host("https://internal.example/x"))
    XCTAssertNil(host("https://a.b.internal.example/x"))
    XCTAssertEqual(host("https://notinternal.example/x"), "lower")
    XCTAssertNil(host("http://10.0.0.1:8080/"))
    XCTAssertNil(host("http://[::1]:9000/"))
    XCTAssertNil(host("http://localhost/"))
    let allOnly = ProxyEnvironment.from(["all_proxy": "socks5://all:4"])
    XCTAssertEqual(
      allOnly.setting(for: URL(string: "https://api.twilio.com")!),
      .proxy(ProxyServer(kind: .socks5, host: "all", port: 4)))
    XCTAssertEqual(ProxyEnvironment.from([:]).setting(for: URL(string: "https://api.twilio.com")!), .none)
    XCTAssertEqual(
      ProxyEnvironment.from(["HTTPS_PROXY": "ftp://x"]).setting(for: URL(string: "https://a.b")!), .invalid)
  }
}
