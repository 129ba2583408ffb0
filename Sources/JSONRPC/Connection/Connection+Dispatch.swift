import Foundation
import JSON
import Synchronization

/// Turning decoded messages into running requests, and their results into replies.
extension Connection {
  /// No request is expected to produce less than this (an error reply with its envelope).
  static let minimumReplyEstimate = 512

  func handleMessage(_ message: IncomingMessage, sink: ReplySink) {
    switch message {
    case .invalid(let id, let reason):
      sink.reserve()
      sink.send(OutgoingMessage.error(id: id, .invalidRequest(reason)), id: id)
    case .response(let id):
      log(.info, "Ignored a response from the client (id \(id.map { RPCError.bounded($0.description) } ?? "none"))")
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
      log(.debug, "Ignored notification \(RPCError.bounded(method))")
    }
  }

  func handleRequest(id: RequestID, method: String, params: JSONValue?, sink: ReplySink) {
    if state.withLock({ $0.shutdownRequested }) {
      sink.send(OutgoingMessage.error(id: id, .invalidRequest("the server is shutting down")), id: id)
      return
    }
    guard let entry = router.entry(method) else {
      sink.send(OutgoingMessage.error(id: id, .methodNotFound(method)), id: id)
      return
    }
    let call: PreparedCall
    do {
      call = try entry.prepare(params)
    } catch {
      sink.send(OutgoingMessage.error(id: id, error), id: id)
      return
    }

    // Admission: wait (and so stop reading input) until the reply is expected to fit the budget.
    let learned = state.withLock { $0.replyEstimates[method] }
    let expected = learned ?? initialReplyEstimate
    // The reply is encoded into one buffer sized from the replies this method gave before.
    let shape = ReplyShape(id: id, capacity: min(64 << 20, (learned ?? 192) + 64))
    guard transport.budget.admit(expecting: expected) else {
      sink.send(OutgoingMessage.error(id: id, .serverCancelled), id: id)
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
        if state.cancels.takeEarlyCancel(id) { return .cancelledEarly }
      }
      state.inFlight[key] = InFlight()
      return .admitted(key)
    }
    let key: InFlightKey
    switch admission {
    case .duplicate:
      transport.budget.finish(reserved: expected)
      // Answered with id null: a reply carrying the id would resolve the host's original request.
      sink.send(
        OutgoingMessage.error(
          id: .null, .invalidRequest("a request with this id is already in flight", data: ["id": id.json])), id: .null)
      return
    case .cancelledEarly:
      transport.budget.finish(reserved: expected)
      sink.send(OutgoingMessage.error(id: id, .requestCancelled), id: id)
      return
    case .admitted(let k):
      key = k
    }
    unanswered.increment()

    log(.debug, "-> \(RPCError.bounded(method)) id \(id)")
    let progress = ProgressChannel(tokens: call.tokens) { [transport] in transport.send($0) }
    let context = RequestContext(id: id, method: method, progress: progress)
    let ticket = scheduler.enqueue(call.scheduling)
    let sequential = call.scheduling == .sequential
    let done = sequential ? DispatchSemaphore(value: 0) : nil
    let gate = ReplyGate()
    let task = Task { [self] in
      let outcome: Result<[UInt8], any Error>
      await scheduler.wait(ticket)
      do {
        try Task.checkCancellation()
        outcome = .success(try await call.run(context, shape))
      } catch {
        outcome = .failure(error)
      }
      complete(key: key, id: id, method: method, outcome: outcome, progress: progress, sink: sink, gate: gate)
      // Released after the reply is queued, so requests ordered on a key also answer in order.
      scheduler.release(ticket)
      transport.budget.finish(reserved: expected)
      done?.signal()
    }
    state.withLock { state in
      guard state.inFlight[key] != nil else { return }
      state.inFlight[key]!.task = task
      if state.inFlight[key]!.cancelled { task.cancel() }
    }
    // A sequential request (`initialize`, `shutdown`) answers before the next message is read.
    done?.wait()
  }

  func complete(
    key: InFlightKey, id: RequestID, method: String, outcome: Result<[UInt8], any Error>,
    progress: ProgressChannel, sink: ReplySink, gate: ReplyGate
  ) {
    let entry = state.withLock { state -> InFlight? in
      let entry = state.inFlight.removeValue(forKey: key)
      if id != .null { state.cancels.noteFinished(id) }
      return entry
    }
    let reply: [UInt8]
    switch outcome {
    case .success(let encoded):
      log(.debug, "<- \(RPCError.bounded(method)) id \(id): result, \(encoded.count) bytes")
      reply = encoded  // already the whole reply message (`ReplyShape`)
    case .failure(let error):
      log(.debug, "<- \(RPCError.bounded(method)) id \(id): \(type(of: error))")
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
        log(.error, "Internal error in \(RPCError.bounded(method)): \(String(describing: type(of: error)))")
        reply = OutgoingMessage.error(id: id, .internalError)
      }
    }
    progress.close()
    learnReplySize(reply.count, method: method)
    if gate.claim() {
      sink.send(reply, id: id)
    } else {
      log(.error, "A second reply to id \(id) was dropped")
    }
    unanswered.decrement()
  }

  /// Moves a method's reply estimate: up at once to a larger reply, down slowly towards smaller ones.
  func learnReplySize(_ bytes: Int, method: String) {
    state.withLock { state in
      let target = max(Self.minimumReplyEstimate, bytes)
      let current = state.replyEstimates[method] ?? initialReplyEstimate
      state.replyEstimates[method] = target > current ? target : current - (current - target) / 16
    }
  }
}
