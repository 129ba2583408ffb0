import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request as the test server read it.
struct RecordedRequest: Sendable {
  var method: String
  /// Path and query as sent, e.g. `/v2/phone-number?limit=1000&page=2`.
  var target: String
  /// Header fields, names lowercased.
  var headers: [String: String]
  var body: Data
  var connection: Int
  var receivedAt: ContinuousClock.Instant

  var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

  /// Query items, percent-decoded.
  var query: [String: String] {
    guard let q = target.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
    var out: [String: String] = [:]
    for pair in q.split(separator: "&") {
      let kv = pair.split(separator: "=", maxSplits: 1)
      let k = String(kv[0]).removingPercentEncoding ?? String(kv[0])
      let v = kv.count > 1 ? (String(kv[1]).removingPercentEncoding ?? String(kv[1])) : ""
      out[k] = v
    }
    return out
  }
}

/// What the server does with a request.
indirect enum ServerAction: Sendable {
  case respond(status: Int, headers: [String: String], body: Data)
  /// Close with RST (SO_LINGER 0) after reading the request: "connection reset".
  case reset
  /// Close (FIN) without any reply: "lost reply".
  case close
  /// Send headers announcing more body than is sent, then close.
  case truncated
  /// Never reply; hold the connection until the client goes away.
  case hang
  /// Send these bytes (not an HTTP reply) and close.
  case raw(Data)
  /// Act as an HTTP proxy for a `CONNECT` request: answer 200 and relay bytes both ways to
  /// 127.0.0.1:`port` until either side closes.
  case tunnel(port: UInt16)
  case delayed(TimeInterval, ServerAction)

  static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> ServerAction {
    var h = headers
    h["Content-Type"] = "application/json"
    return .respond(status: status, headers: h, body: Data(text.utf8))
  }

  static func json<T: Encodable>(_ status: Int, encoding value: T) -> ServerAction {
    .respond(status: status, headers: ["Content-Type": "application/json"], body: try! JSONEncoder().encode(value))
  }
}

/// A minimal HTTP/1.1 server on 127.0.0.1 (POSIX sockets, one thread per connection, keep-alive
/// honoured) for exercising the real URLSession stack.
final class TestHTTPServer: @unchecked Sendable {
  typealias Handler = @Sendable (RecordedRequest, Int) -> ServerAction

  let port: UInt16
  private let listenFD: Int32
  private let handler: Handler
  private let lock = NSLock()
  private var _requests: [RecordedRequest] = []
  private var _hangsEnded = 0
  private var _connections = 0
  private var openFDs = Set<Int32>()
  private var stopped = false

  var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

  var requests: [RecordedRequest] { lock.withLock { _requests } }
  var requestCount: Int { lock.withLock { _requests.count } }
  /// Connections on which a `.hang` ended because the client closed it.
  var hangsEnded: Int { lock.withLock { _hangsEnded } }
  var connectionCount: Int { lock.withLock { _connections } }

  init(handler: @escaping Handler) throws {
    self.handler = handler
    let fd = socket(AF_INET, Int32(SOCK_STREAM_VALUE), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 64) == 0 else {
      close(fd)
      throw POSIXError(.EADDRINUSE)
    }
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    self.port = UInt16(bigEndian: addr.sin_port)
    self.listenFD = fd
    Thread.detachNewThread { [self] in acceptLoop() }
  }

  deinit { stop() }

  /// Stops accepting and wakes every connection thread. Idempotent. Descriptors are only shut
  /// down here and closed by the thread owning them, so a recycled descriptor number can never be
  /// closed by mistake.
  func stop() {
    let fds: [Int32]? = lock.withLock {
      if stopped { return nil }
      stopped = true
      return Array(openFDs)
    }
    guard let fds else { return }
    shutdown(listenFD, Int32(SHUT_RDWR_VALUE))
    for fd in fds { shutdown(fd, Int32(SHUT_RDWR_VALUE)) }
  }

  /// A port on 127.0.0.1 where nothing listens (connection refused).
  static func closedPort() -> UInt16 {
    let s = try! TestHTTPServer { _, _ in .close }
    let p = s.port
    s.stop()
    return p
  }

  // MARK: - Internals

  private func acceptLoop() {
    defer { close(listenFD) }
    while true {
      let c = accept(listenFD, nil, nil)
      if c < 0 {
        if errno == EINTR || errno == ECONNABORTED { continue }
        return
      }
      var one: Int32 = 1
      setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      let id: Int? = lock.withLock {
        if stopped { return nil }
        openFDs.insert(c)
        _connections += 1
        return _connections
      }
      guard let id else {
        close(c)
        return
      }
      Thread.detachNewThread { [self] in serve(c, connection: id) }
    }
  }

  private func serve(_ fd: Int32, connection: Int) {
    var buffer: [UInt8] = []
    var closed = false
    defer {
      lock.withLock { _ = openFDs.remove(fd) }
      if !closed { close(fd) }
    }
    while let request = readRequest(fd, &buffer, connection: connection) {
      let index: Int = lock.withLock {
        _requests.append(request)
        return _requests.count - 1
      }
      var action = handler(request, index)
      while case .delayed(let seconds, let next) = action {
        Thread.sleep(forTimeInterval: seconds)
        action = next
      }
      switch action {
      case .respond(let status, let headers, let body):
        let clientCloses = request.headers["connection"]?.lowercased() == "close"
        var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Length: \(body.count)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += clientCloses ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n"
        guard write(fd, Data(head.utf8) + body) else { return }
        if clientCloses { return }
      case .reset:
        var l = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
        close(fd)
        closed = true
        return
      case .close:
        return
      case .truncated:
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":"
        _ = write(fd, Data(head.utf8))
        return
      case .hang:
        var byte: UInt8 = 0
        while true {
          let n = recv(fd, &byte, 1, 0)
          if n <= 0 { break }
        }
        lock.withLock { _hangsEnded += 1 }
        return
      case .raw(let bytes):
        _ = write(fd, bytes)
        return
      case .tunnel(let port):
        relay(fd, toPort: port, pending: &buffer)
        return
      case .delayed:
        return
      }
    }
  }

  private func relay(_ fd: Int32, toPort port: UInt16, pending: inout [UInt8]) {
    let upstream = socket(AF_INET, Int32(SOCK_STREAM_VALUE), 0)
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard upstream >= 0, connected == 0 else {
      if upstream >= 0 { close(upstream) }
      _ = write(fd, Data("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".utf8))
      return
    }
    defer { close(upstream) }
    guard write(fd, Data("HTTP/1.1 200 Connection established\r\n\r\n".utf8)) else { return }
    if !pending.isEmpty {
      _ = write(upstream, Data(pending))
      pending.removeAll()
    }
    let back = DispatchSemaphore(value: 0)
    Thread.detachNewThread { [self] in
      pump(from: upstream, to: fd)
      shutdown(fd, Int32(SHUT_RDWR_VALUE))
      back.signal()
    }
    pump(from: fd, to: upstream)
    shutdown(upstream, Int32(SHUT_RDWR_VALUE))
    back.wait()
  }

  private func pump(from source: Int32, to target: Int32) {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(source, &chunk, chunk.count, 0)
      if n <= 0 { return }
      guard write(target, Data(chunk[..<n])) else { return }
    }
  }

  private func write(_ fd: Int32, _ data: Data) -> Bool {
    data.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
  }

  private func readRequest(_ fd: Int32, _ buffer: inout [UInt8], connection: Int) -> RecordedRequest? {
    let separator: [UInt8] = [13, 10, 13, 10]
    var headerEnd: Int?
    while true {
      if let r = find(separator, in: buffer) {
        headerEnd = r
        break
      }
      guard receive(fd, &buffer) else { return nil }
    }
    guard let end = headerEnd else { return nil }
    let headText = String(decoding: buffer[..<end], as: UTF8.self)
    var lines = headText.components(separatedBy: "\r\n")
    let requestLine = lines.removeFirst().split(separator: " ")
    guard requestLine.count >= 2 else { return nil }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    let bodyStart = end + 4
    while buffer.count < bodyStart + length {
      guard receive(fd, &buffer) else { return nil }
    }
    let body = Data(buffer[bodyStart..<(bodyStart + length)])
    buffer.removeFirst(bodyStart + length)
    return RecordedRequest(
      method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body,
      connection: connection, receivedAt: .now)
  }

  private func receive(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    let n = recv(fd, &chunk, chunk.count, 0)
    guard n > 0 else { return false }
    buffer.append(contentsOf: chunk[..<n])
    return true
  }

  private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
      if Array(haystack[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
  }

  private func reason(_ status: Int) -> String {
    switch status {
    case 200: return "OK"
    case 201: return "Created"
    case 302: return "Found"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 404: return "Not Found"
    case 409: return "Conflict"
    case 429: return "Too Many Requests"
    case 500: return "Internal Server Error"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    default: return "Status"
    }
  }
}

#if canImport(Glibc)
private let SOCK_STREAM_VALUE = SOCK_STREAM.rawValue
private let SHUT_RDWR_VALUE = SHUT_RDWR
#else
private let SOCK_STREAM_VALUE = SOCK_STREAM
private let SHUT_RDWR_VALUE = SHUT_RDWR
#endif

/// A thread-safe counter/box for handlers.
final class Box<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var _value: T
  init(_ value: T) { _value = value }
  var value: T {
    get { lock.withLock { _value } }
    set { lock.withLock { _value = newValue } }
  }
  func update<R>(_ body: (inout T) -> R) -> R { lock.withLock { body(&_value) } }
}
