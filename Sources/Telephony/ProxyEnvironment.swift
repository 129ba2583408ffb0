import Foundation

/// A proxy named by the environment.
struct ProxyServer: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    /// An HTTP proxy; every request goes through a `CONNECT` tunnel.
    case http
    /// A SOCKS5 proxy (`socks5://`, `socks5h://`, `socks://`).
    case socks5
  }

  var kind: Kind
  var host: String
  var port: Int
  /// `user:password` from the proxy URL (percent-decoded), sent as `Proxy-Authorization: Basic`.
  var username: String?
  var password: String?

  init(kind: Kind, host: String, port: Int, username: String? = nil, password: String? = nil) {
    self.kind = kind
    self.host = host
    self.port = port
    self.username = username
    self.password = password
  }

  /// Parses a proxy setting as libcurl does: `[scheme://][user:password@]host[:port][/]`, the
  /// scheme defaulting to `http` and the port to 1080. Nil for a scheme the client cannot speak
  /// (e.g. `https://`, a TLS connection to the proxy itself) or an unreadable value.
  init?(parsing raw: String) {
    var text = raw.trimmingCharacters(in: .whitespaces)
    guard !text.isEmpty else { return nil }
    if !text.contains("://") { text = "http://" + text }
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else { return nil }
    switch scheme {
    case "http": kind = .http
    case "socks5", "socks5h", "socks": kind = .socks5
    default: return nil
    }
    self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    self.port = components.port ?? 1080
    self.username = components.percentEncodedUser.flatMap { $0.removingPercentEncoding }
    self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
    if kind == .socks5, username != nil { return nil }  // SOCKS authentication is not supported
  }
}

/// The proxy variables libcurl (and so URLSession on Linux) honoured, applied the same way:
/// `HTTPS_PROXY` for `https` URLs, `HTTP_PROXY` for `http` URLs, `ALL_PROXY` for either when the
/// specific one is unset, and `NO_PROXY` (comma-separated host names, domain suffixes such as
/// `.example.com` or `example.com`, IP addresses, or `*`) to go direct. Each is read in lower or
/// upper case, the lower-case one winning.
struct ProxyEnvironment: Sendable, Equatable {
  /// What a variable said: unset, a proxy, or a value that cannot be used.
  enum Setting: Sendable, Equatable {
    case none
    case proxy(ProxyServer)
    case invalid
  }

  var https: Setting = .none
  var http: Setting = .none
  var all: Setting = .none
  /// Lower-cased `NO_PROXY` entries without leading dots or ports.
  var noProxy: [String] = []

  init(https: Setting = .none, http: Setting = .none, all: Setting = .none, noProxy: [String] = []) {
    self.https = https
    self.http = http
    self.all = all
    self.noProxy = noProxy
  }

  /// Reads `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY`, `all_proxy`/`ALL_PROXY` and
  /// `no_proxy`/`NO_PROXY`.
  static func from(_ env: [String: String]) -> ProxyEnvironment {
    func value(_ name: String) -> String? {
      for key in [name.lowercased(), name.uppercased()] {
        if let v = env[key]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return v }
      }
      return nil
    }
    func setting(_ name: String) -> Setting {
      guard let raw = value(name) else { return .none }
      return ProxyServer(parsing: raw).map(Setting.proxy) ?? .invalid
    }
    let noProxy = (value("no_proxy") ?? "").split(separator: ",").compactMap { entry -> String? in
      var e = entry.trimmingCharacters(in: .whitespaces).lowercased()
      while e.hasPrefix(".") { e.removeFirst() }
      if e.hasPrefix("["), let close = e.firstIndex(of: "]") {
        e = String(e[e.index(after: e.startIndex)..<close])  // [::1]:8080 → ::1
      } else if e.filter({ $0 == ":" }).count == 1, let colon = e.firstIndex(of: ":") {
        e = String(e[..<colon])  // host:port → host
      }
      return e.isEmpty ? nil : e
    }
    return ProxyEnvironment(
      https: setting("https_proxy"), http: setting("http_proxy"), all: setting("all_proxy"), noProxy: noProxy)
  }

  /// The setting that applies to `url`.
  func setting(for url: URL) -> Setting {
    guard let scheme = url.scheme?.lowercased(), var host = url.host?.lowercased() else { return .none }
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if bypasses(host) { return .none }
    let specific = scheme == "https" ? https : scheme == "http" ? http : Setting.none
    if case .none = specific { return all }
    return specific
  }

  /// Whether `NO_PROXY` sends `host` direct: `*`, the host itself, or a domain it is under.
  func bypasses(_ host: String) -> Bool {
    for entry in noProxy {
      if entry == "*" || host == entry || host.hasSuffix("." + entry) { return true }
    }
    return false
  }
}
