import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The request could not be routed: a proxy variable names a proxy the client cannot use, or the
/// transport was shut down. Nothing was sent.
struct RoutingFailure: Error {
  let reason: String
}

/// The AsyncHTTPClient instances behind `HTTPTransport`, made on first use (a process that never
/// calls upstream starts no event loop thread and opens no socket).
///
/// - Reads share one pooled client per route (direct, or through one proxy), HTTP/2 where the
///   server offers it.
/// - Writes (POST/PATCH/DELETE) use a client whose connections serve exactly one request
///   (`maximumUsesPerConnection = 1`, HTTP/1.1 only): a write always travels on a connection of
///   its own, and AsyncHTTPClient never re-sends a request by itself, so a lost reply can never
///   turn into a second POST.
/// - Failed connection attempts are not retried inside the client
///   (`retryConnectionEstablishment = false`): the error reaches `HTTPTransport`, whose retry
///   policy decides.
/// - Redirects are never followed (a 3xx is returned as the response), bodies are not decompressed,
///   certificates are checked against the system's trusted roots (`/etc/ssl/certs/ca-certificates.crt`
///   or `/etc/pki/tls/certs/ca-bundle.crt`), or the PEM bundle named by `SSL_CERT_FILE`.
final class UpstreamHTTPClients: Sendable {
  private struct Route: Hashable {
    var proxy: ProxyServer?
    var write: Bool
  }

  private struct State: ~Copyable {
    var group: MultiThreadedEventLoopGroup?
    var clients: [Route: HTTPClient] = [:]
    var shutDown = false
  }

  private let policy: HTTPPolicy
  private let proxies: ProxyEnvironment
  private let caFile: String?
  private let state = Mutex(State())

  init(policy: HTTPPolicy, environment: [String: String]) {
    self.policy = policy
    self.proxies = ProxyEnvironment.from(environment)
    self.caFile = environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
  }

  deinit {
    // Without a blocking wait: the last reference may go away on any thread.
    let (clients, group) = state.withLock { s in
      s.shutDown = true
      defer {
        s.clients = [:]
        s.group = nil
      }
      return (Array(s.clients.values), s.group)
    }
    Self.shutDownInBackground(clients, group)
  }

  /// Whether any client was made (for tests: a process that never calls upstream makes none).
  var started: Bool { state.withLock { $0.group != nil } }

  /// The client for a request to `url`; throws `RoutingFailure` when the proxy setting for `url`
  /// is unusable or the transport has been shut down.
  func client(for url: URL, write: Bool) throws -> HTTPClient {
    let proxy: ProxyServer?
    switch proxies.setting(for: url) {
    case .none: proxy = nil
    case .proxy(let p): proxy = p
    case .invalid: throw RoutingFailure(reason: "unusable proxy setting")
    }
    let route = Route(proxy: proxy, write: write)
    return try state.withLock { s in
      if s.shutDown { throw RoutingFailure(reason: "shut down") }
      if let client = s.clients[route] { return client }
      let group = s.group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
      s.group = group
      let client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration(for: route))
      s.clients[route] = client
      return client
    }
  }

  /// Closes every connection and stops the event loop thread, waiting for both. Call once, from a
  /// thread that is not an event loop (the process's main thread at exit); later requests fail.
  func shutdown() {
    let (clients, group) = state.withLock { s in
      s.shutDown = true
      defer {
        s.clients = [:]
        s.group = nil
      }
      return (Array(s.clients.values), s.group)
    }
    for client in clients { try? client.syncShutdown() }
    try? group?.syncShutdownGracefully()
  }

  private static func shutDownInBackground(_ clients: [HTTPClient], _ group: MultiThreadedEventLoopGroup?) {
    guard !clients.isEmpty || group != nil else { return }
    let remaining = Mutex(clients.count)
    let finish: @Sendable () -> Void = {
      let last = remaining.withLock { n -> Bool in
        n -= 1
        return n <= 0
      }
      if last { group?.shutdownGracefully { _ in } }
    }
    if clients.isEmpty {
      group?.shutdownGracefully { _ in }
      return
    }
    for client in clients {
      client.shutdown { _ in finish() }
    }
  }

  private func configuration(for route: Route) -> HTTPClient.Configuration {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile { tls.trustRoots = .file(caFile) }
    var pool = HTTPClient.Configuration.ConnectionPool(
      idleTimeout: .seconds(route.write ? 1 : 60),
      concurrentHTTP1ConnectionsPerHostSoftLimit: policy.httpMaximumConnectionsPerHost)
    pool.retryConnectionEstablishment = false
    var config = HTTPClient.Configuration(
      tlsConfiguration: tls,
      redirectConfiguration: .disallow,
      timeout: .init(connect: TimeAmount(policy.connectTimeout), read: nil),
      connectionPool: pool,
      proxy: route.proxy.map(Self.proxy),
      decompression: .disabled)
    if route.write {
      config.httpVersion = .http1Only
      config.maximumUsesPerConnection = 1
    }
    return config
  }

  private static func proxy(_ p: ProxyServer) -> HTTPClient.Configuration.Proxy {
    switch p.kind {
    case .socks5:
      return .socksServer(host: p.host, port: p.port)
    case .http:
      let auth = p.username.map { HTTPClient.Authorization.basic(username: $0, password: p.password ?? "") }
      return .server(host: p.host, port: p.port, authorization: auth)
    }
  }
}
