import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A JSON-RPC 2.0 server connection over a pair of file descriptors.
///
/// One thread reads and frames input and dispatches each request to its own task; one thread
/// writes replies in completion order (they may be out of request order: clients match by id).
/// The connection owns the lifecycle (`initialize`, `shutdown`, `exit`, `$/cancelRequest`,
/// `rpc.discover`) and knows nothing about what the methods do.
public final class Connection: Sendable {
  /// Static facts and tunables.
  public struct Configuration: Sendable {
    public var serverName: String
    public var serverVersion: String
    public var protocolVersion: String
    /// Merged into the `initialize` result's `capabilities`.
    public var capabilities: JSONObject
    public var documentTitle: String
    public var documentDescription: String?
    /// Largest frame accepted (bytes); larger ones get -32600 and are skipped.
    public var maxFrameBytes: Int
    /// How long in-flight requests may run after end of input or a stop signal before they are cancelled.
    public var drainTimeout: Duration
    /// At most this many requests run at once; beyond it the reader waits (back-pressure on the
    /// host's writes) so a flood of pipelined requests cannot grow memory without bound.
    public var maxConcurrentRequests: Int
    public var log: EngineLog
    /// Called with `initialize.processId` so the host process can be watched.
    public var onClientProcessID: @Sendable (Int32) -> Void

    public init(
      serverName: String, serverVersion: String, protocolVersion: String = "1.0", capabilities: JSONObject = [:],
      documentTitle: String? = nil, documentDescription: String? = nil, maxFrameBytes: Int = 16 << 20,
      drainTimeout: Duration = .seconds(10), maxConcurrentRequests: Int = 4096, log: EngineLog = .silent,
      onClientProcessID: @escaping @Sendable (Int32) -> Void = { _ in }
    ) {
      self.serverName = serverName
      self.serverVersion = serverVersion
      self.protocolVersion = protocolVersion
      self.capabilities = capabilities
      self.documentTitle = documentTitle ?? serverName
      self.documentDescription = documentDescription
      self.maxFrameBytes = maxFrameBytes
      self.drainTimeout = drainTimeout
      self.maxConcurrentRequests = maxConcurrentRequests
      self.log = log
      self.onClientProcessID = onClientProcessID
    }
  }

  /// Why the connection ended.
  public enum EndReason: Sendable, Equatable {
    /// Input reached end of file.
    case endOfInput
    /// The client sent `exit`; `status` follows the LSP rule.
    case exit(status: Int32)
    /// `stop(_:)` was called (a signal, the parent died, …).
    case stopped(String)
    /// Writing to the output failed (the reader went away).
    case outputClosed

    /// The process exit status this end calls for.
    public var exitStatus: Int32 {
      if case .exit(let status) = self { return status }
      return 0
    }
  }

  enum InFlightKey: Hashable {
    case id(RequestID)
    case anonymous(UInt64)
  }

  struct InFlight {
    var task: Task<Void, Never>?
    var cancelled = false
    var serverCancelled = false
  }

  struct State {
    var inFlight: [InFlightKey: InFlight] = [:]
    /// Admitted requests whose reply has not been handed to the writer yet.
    var unanswered = 0
    var anonymousSerial: UInt64 = 0
    /// Cancels for ids not (yet) seen, with when they arrived.
    var earlyCancels: [RequestID: ContinuousClock.Instant] = [:]
    /// Ids answered recently, so a late cancel is not mistaken for an early one.
    var recentlyFinished: [RequestID] = []
    var framing: Framing?
    var initialized = false
    var shutdownRequested = false
    var endReason: EndReason?
  }

  private let input: Int32
  let writer: OutputWriter
  let configuration: Configuration
  let router: Router
  let scheduler = AccessScheduler()
  let state = Mutex(State())
  private let ended = DispatchSemaphore(value: 0)
  /// One slot per running request (see `Configuration.maxConcurrentRequests`).
  let slots: DispatchSemaphore
  /// The encoded OpenRPC document, built on the first `rpc.discover`.
  private let discoverCache = Mutex<[UInt8]?>(nil)
  let log: EngineLog

  /// Creates a connection reading `input` and writing `output`, dispatching on `router`.
  public init(input: Int32, output: Int32, router: Router, configuration: Configuration) {
    self.input = input
    self.configuration = configuration
    self.slots = DispatchSemaphore(value: max(1, configuration.maxConcurrentRequests))
    self.log = configuration.log
    let lifecycle = LifecycleHandlers()
    var router = router
    router.register(InitializeMethod.self, strictParams: false) { params, _ in try lifecycle.initialize(params) }
    router.register(ShutdownMethod.self) { _, _ in await lifecycle.shutdown() }
    router.register(DiscoverMethod.self) { _, _ in .null }  // answered from the cached document
    for notification in ClientNotifications.all { router.documentNotification(notification) }
    self.router = router
    let endBox = WeakConnection()
    self.writer = OutputWriter(fd: output) { endBox.connection?.stop(.outputClosed) }
    endBox.connection = self
    lifecycle.connection = self
  }

  /// The OpenRPC document as JSON (what `rpc.discover` returns).
  public var openRPCDocument: [UInt8] {
    discoverCache.withLock { cache in
      if let cache { return cache }
      let document = JSONWriter.encode(
        OpenRPCDocument.build(
          title: configuration.documentTitle, version: configuration.serverVersion,
          description: configuration.documentDescription, methods: router.descriptors, schemas: router.schemas))
      cache = document
      return document
    }
  }

  /// Serves until the input ends, `exit` arrives or `stop` is called; then lets in-flight requests
  /// finish (up to `drainTimeout`), writes every pending reply and returns why it ended.
  public func run() -> EndReason {
    writer.start()
    let reader = Thread { [self] in readLoop() }
    reader.name = "switchboard.reader"
    reader.start()
    ended.wait()
    let reason = state.withLock { $0.endReason! }
    if reason == .outputClosed {
      cancelAll(serverCancelled: true)
      return reason
    }
    if case .exit = reason {
      cancelAll(serverCancelled: true)
      waitForInFlight(timeout: .seconds(2))
    } else if !waitForInFlight(timeout: configuration.drainTimeout) {
      log(.warning, "Cancelling requests still running after the drain timeout")
      cancelAll(serverCancelled: true)
      waitForInFlight(timeout: .seconds(2))
    }
    writer.flush(until: Date().addingTimeInterval(5))
    writer.close()
    return reason
  }

  /// Ends the connection (thread-safe; the first reason wins).
  public func stop(_ reason: EndReason) {
    let first = state.withLock { state -> Bool in
      guard state.endReason == nil else { return false }
      state.endReason = reason
      return true
    }
    if first { ended.signal() }
  }

  // MARK: Reading

  private func readLoop() {
    var frames = FrameReader(maxFrameBytes: configuration.maxFrameBytes)
    let capacity = 64 << 10
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    defer { buffer.deallocate() }
    while state.withLock({ $0.endReason == nil }) {
      writer.waitForCapacity()
      let count = read(input, buffer.baseAddress, capacity)
      if count < 0 {
        if errno == EINTR { continue }
        log(.error, "Reading input failed (errno \(errno)); treating it as end of input")
        break
      }
      if count == 0 { break }
      frames.push(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { handle($0) }
    }
    frames.finish { handle($0) }
    stop(.endOfInput)
  }

  private func handle(_ event: FrameReader.Event) {
    switch event {
    case .framing(let framing):
      state.withLock { $0.framing = framing }
      writer.setFraming(framing)
      log(.debug, "Framing: \(framing == .lines ? "newline-delimited" : "Content-Length")")
    case .frame(let bytes):
      handleFrame(bytes)
    case .oversized(let limit):
      log(.warning, "Skipped a frame over the \(limit)-byte limit")
      writer.send(
        OutgoingMessage.error(
          id: .null, .invalidRequest("frame exceeds the size limit", data: ["limitBytes": .int(limit)])))
    case .badHeader(let reason):
      log(.warning, "Bad Content-Length header block: \(reason)")
      writer.send(OutgoingMessage.error(id: .null, .invalidRequest(reason)))
    }
  }

  func handleFrame(_ bytes: [UInt8]) {
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      log(.info, "Unparseable frame: \(error.reason) at byte \(error.offset)")
      writer.send(OutgoingMessage.error(id: .null, .parseError(reason: error.reason)))
      return
    }
    guard case .array(let items) = value else {
      handleMessage(IncomingMessage(value), sink: .direct(writer))
      return
    }
    guard state.withLock({ $0.framing }) != .contentLength else {
      writer.send(OutgoingMessage.error(id: .null, .invalidRequest("batches are not supported with Content-Length framing")))
      return
    }
    guard !items.isEmpty else {
      writer.send(OutgoingMessage.error(id: .null, .invalidRequest("empty batch")))
      return
    }
    let batch = BatchCollector(writer: writer)
    for item in items { handleMessage(IncomingMessage(item), sink: .batch(batch)) }
    batch.seal()
  }
}
