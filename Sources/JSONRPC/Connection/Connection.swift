import Foundation
import JSON
import Synchronization

/// A JSON-RPC 2.0 server session over a `Transport`.
///
/// The transport reads and frames input on its own thread and hands each frame here; the
/// session decodes it, admits the request against the output budget (waiting, and so stopping
/// input, while the host is not reading), runs it in its own task and hands the reply to the
/// transport's single writer, in completion order (clients match replies by id). The session owns
/// the in-flight table, cancellation, batches and the lifecycle (`initialize`, `shutdown`,
/// `exit`, `rpc.discover` are ordinary registered methods), and knows nothing about what the
/// other methods do.
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
    /// At most this many requests run at once; beyond it the reader waits.
    public var maxConcurrentRequests: Int
    /// Output held for the host (queued replies, batch replies being collected, and what running
    /// requests are expected to produce); when it is full no more input is read.
    public var outputBudgetBytes: Int
    /// A batch with more items is refused whole with one -32600.
    public var maxBatchItems: Int
    /// A batch's replies are collected up to this many bytes; items past it are answered with a
    /// short -32600 instead of their result.
    public var batchReplyLimitBytes: Int
    public var log: EngineLog
    /// Called with `initialize.processId` so the host process can be watched.
    public var onClientProcessID: @Sendable (Int32) -> Void

    public init(
      serverName: String, serverVersion: String, protocolVersion: String = "1.0", capabilities: JSONObject = [:],
      documentTitle: String? = nil, documentDescription: String? = nil, maxFrameBytes: Int = 16 << 20,
      drainTimeout: Duration = .seconds(10), maxConcurrentRequests: Int = 4096, outputBudgetBytes: Int = 8 << 20,
      maxBatchItems: Int = 10_000, batchReplyLimitBytes: Int = 4 << 20, log: EngineLog = .silent,
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
      self.outputBudgetBytes = outputBudgetBytes
      self.maxBatchItems = maxBatchItems
      self.batchReplyLimitBytes = batchReplyLimitBytes
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
    var anonymousSerial: UInt64 = 0
    var cancels = CancelLedger()
    var framing: Framing?
    var initialized = false
    var shutdownRequested = false
    var endReason: EndReason?
    /// Bytes a reply to each method is expected to take (learnt from its replies; see `learnReplySize`).
    var replyEstimates: [String: Int] = [:]
  }

  let transport: any Transport
  let configuration: Configuration
  let router: Router
  let scheduler = AccessScheduler()
  let state: Mutex<State>
  /// Admitted requests whose reply has not been handed to the writer yet.
  let unanswered = RequestCounter()
  private let ended = DispatchSemaphore(value: 0)
  /// The encoded OpenRPC document, built on the first `rpc.discover`.
  private let discoverCache = Mutex<[UInt8]?>(nil)
  let log: EngineLog
  /// What a method's first requests reserve, before any of its replies was seen.
  let initialReplyEstimate: Int

  /// Creates a session on `transport`, dispatching on `router`. The transport's budget is the
  /// output budget (see `Configuration.outputBudgetBytes`).
  public init(transport: any Transport, router: Router, configuration: Configuration) {
    self.transport = transport
    self.configuration = configuration
    self.log = configuration.log
    self.state = Mutex(State())
    self.initialReplyEstimate = max(Self.minimumReplyEstimate, transport.budget.limitBytes / 64)
    let lifecycle = LifecycleHandlers()
    var router = router
    router.register(InitializeMethod.self, strictParams: false) { params, _ in try lifecycle.initialize(params) }
    router.register(ShutdownMethod.self) { _, _ in await lifecycle.shutdown() }
    router.register(DiscoverMethod.self) { _, _ in try lifecycle.discover() }
    for notification in ClientNotifications.all { router.documentNotification(notification) }
    self.router = router
    lifecycle.connection = self
  }

  /// Creates a session over a pair of file descriptors (a `StdioTransport`).
  public convenience init(input: Int32, output: Int32, router: Router, configuration: Configuration) {
    let budget = OutputBudget(
      limitBytes: configuration.outputBudgetBytes, maxRequests: configuration.maxConcurrentRequests)
    self.init(
      transport: StdioTransport(
        input: input, output: output, maxFrameBytes: configuration.maxFrameBytes, budget: budget),
      router: router, configuration: configuration)
  }

  /// A configuration's matching budget, for building a transport by hand.
  public static func budget(for configuration: Configuration) -> OutputBudget {
    OutputBudget(limitBytes: configuration.outputBudgetBytes, maxRequests: configuration.maxConcurrentRequests)
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
    transport.start(
      receive: { [self] in handle($0) }, inputEnded: { [self] in stop(.endOfInput) },
      outputFailed: { [self] in stop(.outputClosed) })
    ended.wait()
    transport.stopReading()
    let reason = state.withLock { $0.endReason! }
    if reason == .outputClosed {
      cancelAll(serverCancelled: true)
      transport.budget.close()
      return reason
    }
    if case .exit = reason {
      cancelAll(serverCancelled: true)
      unanswered.wait(atMost: 0, timeout: .seconds(2))
    } else if !unanswered.wait(atMost: 0, timeout: configuration.drainTimeout) {
      log(.warning, "Cancelling requests still running after the drain timeout")
      cancelAll(serverCancelled: true)
      unanswered.wait(atMost: 0, timeout: .seconds(2))
    }
    transport.budget.close()
    transport.flush(timeout: .seconds(5))
    transport.close()
    return reason
  }

  /// Ends the connection (thread-safe; the first reason wins).
  public func stop(_ reason: EndReason) {
    let first = state.withLock { state -> Bool in
      guard state.endReason == nil else { return false }
      state.endReason = reason
      return true
    }
    if first {
      transport.stopReading()
      ended.signal()
    }
  }

  // MARK: Frames

  func handle(_ event: FrameReader.Event) {
    switch event {
    case .framing(let framing):
      state.withLock { $0.framing = framing }
      transport.setFraming(framing)
      log(.debug, "Framing: \(framing == .lines ? "newline-delimited" : "Content-Length")")
    case .frame(let bytes):
      handleFrame(bytes)
    case .oversized(let limit):
      log(.warning, "Skipped a frame over the \(limit)-byte limit")
      transport.send(
        OutgoingMessage.error(
          id: .null, .invalidRequest("frame exceeds the size limit", data: ["limitBytes": .int(limit)])))
    case .badHeader(let reason):
      log(.warning, "Bad Content-Length header block: \(reason)")
      transport.send(OutgoingMessage.error(id: .null, .invalidRequest(reason)))
    }
  }

  func handleFrame(_ bytes: [UInt8]) {
    // Refuse an oversized batch before parsing it (a 16 MiB line can hold 300,000 items).
    if let count = BatchScan.itemCount(bytes, limit: configuration.maxBatchItems), count > configuration.maxBatchItems,
      state.withLock({ $0.framing }) != .contentLength
    {
      refuseOversizedBatch()
      return
    }
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      log(.info, "Unparseable frame: \(error.reason) at byte \(error.offset)")
      transport.send(OutgoingMessage.error(id: .null, .parseError(reason: error.reason)))
      return
    }
    guard case .array(let items) = value else {
      handleMessage(IncomingMessage(value), sink: .direct(transport))
      return
    }
    guard state.withLock({ $0.framing }) != .contentLength else {
      transport.send(
        OutgoingMessage.error(id: .null, .invalidRequest("batches are not supported with Content-Length framing")))
      return
    }
    guard !items.isEmpty else {
      transport.send(OutgoingMessage.error(id: .null, .invalidRequest("empty batch")))
      return
    }
    guard items.count <= configuration.maxBatchItems else {
      refuseOversizedBatch()
      return
    }
    // Held replies count in the budget: kept under half of it, so the batch's own items can still be admitted.
    let limit = min(configuration.batchReplyLimitBytes, transport.budget.limitBytes / 2)
    let batch = BatchCollector(transport: transport, limitBytes: limit)
    for item in items { handleMessage(IncomingMessage(item), sink: .batch(batch)) }
    batch.seal()
  }

  private func refuseOversizedBatch() {
    transport.send(
      OutgoingMessage.error(
        id: .null, .invalidRequest("batch has too many items", data: ["limitItems": .int(configuration.maxBatchItems)]))
    )
  }
}
