import Foundation
import JSON
import Synchronization

/// Cancellation and the lifecycle state (`initialize`, `shutdown`).
extension Connection {
  /// Cancels the request with `id`, or remembers the cancel if it has not arrived (O(1)).
  func cancel(_ id: RequestID) {
    let task = state.withLock { state -> Task<Void, Never>? in
      if state.inFlight[.id(id)] != nil {
        state.inFlight[.id(id)]!.cancelled = true
        return state.inFlight[.id(id)]!.task
      }
      state.cancels.noteCancel(id)
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
    capabilities["transport"] = [
      "framings": ["lines", "contentLength"], "batches": "lines framing only", "cancelRequest": true,
      "progress": true, "maxFrameBytes": .int(configuration.maxFrameBytes),
      "maxBatchItems": .int(configuration.maxBatchItems),
    ]
    return [
      "serverInfo": ["name": .string(configuration.serverName), "version": .string(configuration.serverVersion)],
      "capabilities": .object(capabilities),
      "protocolVersion": .string(configuration.protocolVersion),
    ]
  }
}

/// Handlers of the lifecycle requests, bound to their connection after it is built.
final class LifecycleHandlers: Sendable {
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

  /// Refuses later requests, cancels the running ones and waits (up to 5 s) until they have answered.
  func shutdown() async -> NullResult {
    guard let connection else { return NullResult() }
    connection.beginShutdown()
    connection.cancelAll(serverCancelled: true, except: nil)
    // Everything but this request itself must finish.
    await connection.unanswered.waitAsync(atMost: 1, timeout: .seconds(5))
    return NullResult()
  }

  func discover() throws -> EncodedJSON {
    guard let connection else { throw RPCError.internalError }
    return EncodedJSON(bytes: connection.openRPCDocument)
  }
}

/// A weak reference to the connection, for callbacks made before it exists.
final class WeakConnection: @unchecked Sendable {
  weak var connection: Connection?
  init(_ connection: Connection? = nil) { self.connection = connection }
}
