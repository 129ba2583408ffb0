import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turning decoded messages into running requests, and their results into replies.
extension Connection {
  func handleMessage(_ message: IncomingMessage, sink: ReplySink) {
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

  func handleNotification(_ method: String, _ params: JSONValue?) {
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

  func handleRequest(id: RequestID, method: String, params: JSONValue?, sink: ReplySink) {
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

  func complete(
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
      let handlerError = (error as? any RPCErrorConvertible)?.rpcError
      if entry?.serverCancelled == true {
        reply = OutgoingMessage.error(id: id, .serverCancelled)
      } else if let handlerError, handlerError.code == RPCError.requestCancelledCode {
        // A handler may end a cancelled request itself, with `data` saying what was already done.
        reply = OutgoingMessage.error(id: id, handlerError)
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
}
