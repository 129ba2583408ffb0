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

  private enum InFlightKey: Hashable {
    case id(RequestID)
    case anonymous(UInt64)
  }

  private struct InFlight {
    var task: Task<Void, Never>?
    var cancelled = false
    var serverCancelled = false
  }

  private struct State {
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
  private let writer: OutputWriter
  private let configuration: Configuration
  private let router: Router
  private let scheduler = AccessScheduler()
  private let state = Mutex(State())
  private let ended = DispatchSemaphore(value: 0)
  /// One slot per running request (see `Configuration.maxConcurrentRequests`).
  private let slots: DispatchSemaphore
  /// The encoded OpenRPC document, built on the first `rpc.discover`.
  private let discoverCache = Mutex<[UInt8]?>(nil)
  private let log: EngineLog

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

  private func handleFrame(_ bytes: [UInt8]) {
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

  private func handleMessage(_ message: IncomingMessage, sink: ReplySink) {
    switch message {
    case .invalid(let id, let reason):
      sink.reserve()
      sink.send(OutgoingMessage.error(id: id, .invalidRequest(reason)))
    case .response(let id):
      log(.info, "Ignored a response from the client (id \(id.map(\.description) ?? "none"))")
    case .notification(let method, let params):
      handleNotification(method, params)
    case .request(let id, let method, let params):
      sink.reserve()
      handleRequest(id: id, method: method, params: params, sink: sink)
    }
  }

  private func handleNotification(_ method: String, _ params: JSONValue?) {
    switch method {
    case "$/cancelRequest":
      guard let raw = params?["id"], let id = RequestID(raw), id != .null else {
        log(.info, "Ignored $/cancelRequest without a usable id")
        return
      }
      cancel(id)
    case "exit":
      let status: Int32 = state.withLock { $0.shutdownRequested || !$0.initialized ? 0 : 1 }
      stop(.exit(status: status))
    case "initialized", "$/setTrace":
      break
    default:
      log(.debug, "Ignored notification \(method.prefix(100))")
    }
  }

  private func handleRequest(id: RequestID, method: String, params: JSONValue?, sink: ReplySink) {
    if state.withLock({ $0.shutdownRequested }) {
      sink.send(OutgoingMessage.error(id: id, .invalidRequest("the server is shutting down")))
      return
    }
    guard let entry = router.entry(method) else {
      sink.send(OutgoingMessage.error(id: id, .methodNotFound(method)))
      return
    }
    if method == DiscoverMethod.name {
      if case .object(let object)? = params, !object.isEmpty {
        sink.send(OutgoingMessage.error(id: id, .invalidParams(field: "/\(object.keys[0])", reason: "unknown member")))
      } else {
        sink.send(OutgoingMessage.result(id: id, encodedResult: openRPCDocument))
      }
      return
    }
    let call: PreparedCall
    do {
      call = try entry.prepare(params)
    } catch {
      sink.send(OutgoingMessage.error(id: id, error))
      return
    }

    enum Admission { case admitted(InFlightKey), duplicate, cancelledEarly }
    let admission = state.withLock { state -> Admission in
      let key: InFlightKey
      if id == .null {
        state.anonymousSerial += 1
        key = .anonymous(state.anonymousSerial)
      } else {
        key = .id(id)
        if state.inFlight[key] != nil { return .duplicate }
        if state.earlyCancels.removeValue(forKey: id) != nil { return .cancelledEarly }
      }
      state.inFlight[key] = InFlight()
      state.unanswered += 1
      return .admitted(key)
    }
    let key: InFlightKey
    switch admission {
    case .duplicate:
      sink.send(
        OutgoingMessage.error(
          id: id, .invalidRequest("a request with this id is already in flight", data: ["id": id.json])))
      return
    case .cancelledEarly:
      sink.send(OutgoingMessage.error(id: id, .requestCancelled))
      return
    case .admitted(let k):
      key = k
    }

    log(.debug, "-> \(method) id \(id)")
    slots.wait()  // released once the reply is queued
    let progress = ProgressChannel(tokens: call.tokens) { [writer] in writer.send($0) }
    let context = RequestContext(id: id, method: method, progress: progress)
    let ticket = scheduler.enqueue(call.scheduling)
    let inline = method == InitializeMethod.name || method == ShutdownMethod.name
    let done = inline ? DispatchSemaphore(value: 0) : nil
    let task = Task { [self] in
      let outcome: Result<[UInt8], any Error>
      await scheduler.wait(ticket)
      do {
        try Task.checkCancellation()
        outcome = .success(try await call.run(context))
      } catch {
        outcome = .failure(error)
      }
      complete(key: key, id: id, method: method, outcome: outcome, progress: progress, sink: sink)
      // Released after the reply is queued, so requests ordered on a key also answer in order.
      scheduler.release(ticket)
      slots.signal()
      done?.signal()
    }
    state.withLock { state in
      guard state.inFlight[key] != nil else { return }
      state.inFlight[key]!.task = task
      if state.inFlight[key]!.cancelled { task.cancel() }
    }
    // `initialize` and `shutdown` finish before the next message is read.
    done?.wait()
  }

  private func complete(
    key: InFlightKey, id: RequestID, method: String, outcome: Result<[UInt8], any Error>,
    progress: ProgressChannel, sink: ReplySink
  ) {
    let entry = state.withLock { state -> InFlight? in
      let entry = state.inFlight.removeValue(forKey: key)
      if id != .null {
        state.recentlyFinished.append(id)
        if state.recentlyFinished.count > 64 { state.recentlyFinished.removeFirst(32) }
      }
      return entry
    }
    let reply: [UInt8]
    switch outcome {
    case .success(let encoded):
      log(.debug, "<- \(method) id \(id): result, \(encoded.count) bytes")
      reply = OutgoingMessage.result(id: id, encodedResult: encoded)
    case .failure(let error):
      log(.debug, "<- \(method) id \(id): \(type(of: error))")
      if entry?.serverCancelled == true {
        reply = OutgoingMessage.error(id: id, .serverCancelled)
      } else if entry?.cancelled == true || error is CancellationError {
        reply = OutgoingMessage.error(id: id, .requestCancelled)
      } else if let error = error as? any RPCErrorConvertible {
        reply = OutgoingMessage.error(id: id, error.rpcError)
      } else {
        log(.error, "Internal error in \(method): \(String(describing: type(of: error)))")
        reply = OutgoingMessage.error(id: id, .internalError)
      }
    }
    progress.close()
    sink.send(reply)
    state.withLock { $0.unanswered -= 1 }
  }

  // MARK: Cancellation and lifecycle

  private func cancel(_ id: RequestID) {
    let task = state.withLock { state -> Task<Void, Never>? in
      if state.inFlight[.id(id)] != nil {
        state.inFlight[.id(id)]!.cancelled = true
        return state.inFlight[.id(id)]!.task
      }
      if !state.recentlyFinished.contains(id) {
        let now = ContinuousClock.now
        state.earlyCancels = state.earlyCancels.filter { now - $0.value < .seconds(60) }
        if state.earlyCancels.count < 4096 { state.earlyCancels[id] = now }
      }
      return nil
    }
    task?.cancel()
  }

  /// Cancels every in-flight request; with `serverCancelled` they answer -32802 instead of -32800.
  func cancelAll(serverCancelled: Bool, except current: RequestID? = nil) {
    let tasks = state.withLock { state -> [Task<Void, Never>] in
      var tasks: [Task<Void, Never>] = []
      for key in state.inFlight.keys {
        if case .id(let id) = key, id == current { continue }
        state.inFlight[key]!.cancelled = true
        state.inFlight[key]!.serverCancelled = serverCancelled
        if let task = state.inFlight[key]!.task { tasks.append(task) }
      }
      return tasks
    }
    for task in tasks { task.cancel() }
  }

  /// Waits until every admitted request but `allowing` (the caller's own) has handed its reply to the writer.
  @discardableResult
  func waitForInFlight(timeout: Duration, allowing: Int = 0) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while state.withLock({ $0.unanswered }) > allowing {
      if ContinuousClock.now >= deadline { return false }
      usleep(2_000)
    }
    return true
  }

  func markInitialized() throws(RPCError) {
    try state.withLock { state throws(RPCError) in
      if state.initialized { throw RPCError.invalidRequest("already initialized") }
      state.initialized = true
    }
  }

  func beginShutdown() {
    state.withLock { $0.shutdownRequested = true }
  }

  var clientProcessIDHandler: @Sendable (Int32) -> Void { configuration.onClientProcessID }

  var initializeResult: JSONValue {
    var capabilities = configuration.capabilities
    capabilities["jsonrpc"] = [
      "framings": ["lines", "contentLength"], "batches": "lines framing only", "cancelRequest": true,
      "progress": true, "maxFrameBytes": .int(configuration.maxFrameBytes),
    ]
    return [
      "serverInfo": ["name": .string(configuration.serverName), "version": .string(configuration.serverVersion)],
      "capabilities": .object(capabilities),
      "protocolVersion": .string(configuration.protocolVersion),
    ]
  }
}

/// Handlers of the lifecycle requests, bound to their connection after it is built.
private final class LifecycleHandlers: Sendable {
  private let box = Mutex<WeakConnection?>(nil)

  var connection: Connection? {
    get { box.withLock { $0?.connection } }
    set { box.withLock { $0 = WeakConnection(newValue) } }
  }

  func initialize(_ params: InitializeMethod.Params) throws -> JSONValue {
    guard let connection else { throw RPCError.internalError }
    try connection.markInitialized()
    if let pid = params.processId, pid > 0, pid <= Int(Int32.max) { connection.clientProcessIDHandler(Int32(pid)) }
    return connection.initializeResult
  }

  func shutdown() async -> NullResult {
    guard let connection else { return NullResult() }
    connection.beginShutdown()
    connection.cancelAll(serverCancelled: true, except: nil)
    // Everything but this request itself must finish.
    let _ = await Task.detached { connection.waitForInFlight(timeout: .seconds(5), allowing: 1) }.value
    return NullResult()
  }
}

private final class WeakConnection: @unchecked Sendable {
  weak var connection: Connection?
  init(_ connection: Connection? = nil) { self.connection = connection }
}

/// Where a reply goes: straight to the writer, or into the batch it belongs to.
private enum ReplySink: Sendable {
  case direct(OutputWriter)
  case batch(BatchCollector)

  func reserve() {
    if case .batch(let batch) = self { batch.reserve() }
  }

  func send(_ reply: [UInt8]) {
    switch self {
    case .direct(let writer): writer.send(reply)
    case .batch(let batch): batch.deliver(reply)
    }
  }
}

/// Collects the replies of one batch and writes them as one array once all are in.
private final class BatchCollector: Sendable {
  private struct State {
    var expected = 0
    var replies: [[UInt8]] = []
    var sealed = false
  }
  private let state = Mutex(State())
  private let writer: OutputWriter

  init(writer: OutputWriter) { self.writer = writer }

  func reserve() { state.withLock { $0.expected += 1 } }

  func deliver(_ reply: [UInt8]) {
    let ready = state.withLock { state -> [[UInt8]]? in
      state.replies.append(reply)
      return state.sealed && state.replies.count == state.expected ? state.replies : nil
    }
    if let ready { write(ready) }
  }

  /// Every item has been dispatched; write now if every reply is already in.
  func seal() {
    let ready = state.withLock { state -> [[UInt8]]? in
      state.sealed = true
      return state.replies.count == state.expected && state.expected > 0 ? state.replies : nil
    }
    if let ready { write(ready) }
  }

  private func write(_ replies: [[UInt8]]) {
    var out: [UInt8] = [UInt8(ascii: "[")]
    for (index, reply) in replies.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: reply)
    }
    out.append(UInt8(ascii: "]"))
    writer.send(out)
  }
}
