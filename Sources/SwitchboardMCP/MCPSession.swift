import JSON
import JSONRPC
import Logging
import Synchronization

/// One MCP session over an engine `Transport`: the lifecycle, `ping`, `tools/list`, `tools/call`,
/// cancellation, and the drain at the end.
///
/// Messages are handled in order on the transport's reading thread; `initialize`, `ping` and
/// `tools/list` are answered there, each `tools/call` runs in its own task and answers when done
/// (clients match replies by id). Every frame goes out through the transport's single writer.
///
/// Back-pressure, as in the JSON-RPC face: each request is admitted against the transport's output
/// budget before it is handled (a `tools/call` keeps its reservation until its reply is queued), so
/// a client that stops reading stops the reading too instead of letting replies pile up.
final class MCPSession: Sendable {
  /// The output a request is expected to produce, reserved in the budget while it runs.
  static let replyEstimate = 128 << 10

  private let transport: any Transport
  private let router: Router
  private let tools: ToolList
  private let handshake: Handshake
  private let logger: Logger
  private let calls = InFlightCalls()
  private let initialized = Atomic<Bool>(false)
  private let ended: AsyncStream<Never>
  private let end: AsyncStream<Never>.Continuation

  init(transport: any Transport, router: Router, handshake: Handshake, logger: Logger) {
    self.transport = transport
    self.router = router
    self.tools = ToolList(router: router)
    self.handshake = handshake
    self.logger = logger
    (ended, end) = AsyncStream.makeStream()
  }

  /// Serves until the input ends, `stop` is called or the output fails; then lets running calls
  /// finish and writes their replies (up to `drainLimit`; later ones are cancelled and get -32802).
  func run(drainLimit: Duration) async {
    transport.start(
      receive: { [self] in handle($0) }, inputEnded: { [self] in stop() },
      outputFailed: { [self] in
        logger.notice("The client stopped reading: exiting")
        transport.budget.close()
        calls.cancelAll()
        stop()
      })
    for await _ in ended {}
    transport.stopReading()
    if !(await calls.drain(within: drainLimit)) {
      logger.warning("Cancelling \(calls.count) calls still running after \(drainLimit)")
      calls.cancelAll()
      _ = await calls.drain(within: .seconds(2))
    }
    transport.flush(timeout: .seconds(5))
    // Wakes a reader still waiting for room in the budget.
    transport.budget.close()
    transport.close()
  }

  /// Stops reading input (thread-safe, idempotent); running calls still finish.
  func stop() {
    transport.stopReading()
    end.finish()
  }

  // MARK: Messages

  func handle(_ event: FrameReader.Event) {
    switch event {
    case .framing:
      break  // MCP's stdio transport is newline-delimited; the writer always writes lines.
    case .frame(let bytes):
      // Wait (and so stop reading) while the client leaves the output budget full.
      guard transport.budget.admit(expecting: Self.replyEstimate) else {
        logger.debug("Dropped a frame that arrived as the session ended")
        return
      }
      if !handleFrame(bytes) { transport.budget.finish(reserved: Self.replyEstimate) }
    case .oversized(let limit):
      logger.warning("Skipped a frame over the \(limit)-byte limit")
      sendError(.null, .invalidRequest("frame exceeds the size limit", data: ["limitBytes": .int(limit)]))
    case .badHeader(let reason):
      sendError(.null, .invalidRequest(reason))
    }
  }

  /// Handles one frame; returns true when a started `tools/call` took over its budget reservation.
  private func handleFrame(_ bytes: [UInt8]) -> Bool {
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      logger.info("Unparseable frame: \(error.reason) at byte \(error.offset)")
      sendError(.null, .parseError(reason: error.reason))
      return false
    }
    if case .array = value {
      sendError(.null, .invalidRequest("batches are not part of MCP"))
      return false
    }
    switch IncomingMessage(value) {
    case .invalid(let id, let reason):
      sendError(id, .invalidRequest(reason))
    case .response(let id):
      logger.info("Ignored a response from the client (id \(id.map { RPCError.bounded($0.description) } ?? "none"))")
    case .notification(let method, let params):
      handleNotification(method, params)
    case .request(let id, let method, let params):
      return handleRequest(id: id, method: method, params: params)
    }
    return false
  }

  private func handleNotification(_ method: String, _ params: JSONValue?) {
    switch method {
    case "notifications/cancelled":
      guard let raw = params?["requestId"], let id = RequestID(raw) else {
        logger.info("Ignored notifications/cancelled without a usable requestId")
        return
      }
      logger.debug("Cancelled by the client: id \(RPCError.bounded(id.description))")
      calls.cancel(id)
    case "notifications/initialized":
      break
    default:
      logger.debug("Ignored notification \(RPCError.bounded(method))")
    }
  }

  /// Answers a request, or starts its call; returns true when a call was started.
  private func handleRequest(id: RequestID, method: String, params: JSONValue?) -> Bool {
    logger.debug("-> \(RPCError.bounded(method)) id \(RPCError.bounded(id.description))")
    switch method {
    case "initialize":
      do throws(RPCError) {
        let result = try handshake.result(params)
        guard !initialized.exchange(true, ordering: .acquiringAndReleasing) else {
          throw RPCError.invalidRequest("the server is already initialized")
        }
        sendResult(id, JSONWriter.encode(result))
      } catch {
        sendError(id, error)
      }
    case "ping":
      sendResult(id, Array("{}".utf8))
    case "tools/list", "tools/call":
      guard initialized.load(ordering: .acquiring) else {
        sendError(id, .invalidRequest("the server is not initialized: send initialize first"))
        return false
      }
      if method == "tools/list" {
        sendResult(id, tools.encodedResult)
      } else {
        return startCall(id: id, params: params)
      }
    default:
      sendError(id, .methodNotFound(method))
    }
    return false
  }

  // MARK: Calls

  /// Starts a call in its own task, which releases the budget reservation once its reply is
  /// queued; returns false (the reservation stays with the caller) when the call was refused.
  private func startCall(id: RequestID, params: JSONValue?) -> Bool {
    let call: ToolCall
    do throws(RPCError) {
      call = try ToolCall(params)
    } catch {
      sendError(id, error)
      return false
    }
    guard calls.begin(id) else {
      // Answered with id null: a reply carrying the id would resolve the client's original request.
      sendError(.null, .invalidRequest("a request with this id is already in flight", data: ["id": id.json]))
      return false
    }
    let task = Task { [self, transport, router] in
      let outcome: Result<JSONValue, any Error>
      do {
        outcome = .success(try await call.run(router: router) { transport.send($0) })
      } catch {
        outcome = .failure(error)
      }
      finish(id: id, tool: call.spec.name, outcome: outcome)
      transport.budget.finish(reserved: Self.replyEstimate)
    }
    calls.attach(task, to: id)
    return true
  }

  private func finish(id: RequestID, tool: String, outcome: Result<JSONValue, any Error>) {
    calls.finish(id) { ending in
      switch (ending, outcome) {
      case (.silent, _):
        logger.debug("<- \(tool) id \(RPCError.bounded(id.description)): cancelled, no reply")
      case (.serverCancelled, _):
        sendError(id, .serverCancelled)
      case (.reply, .success(let result)):
        sendResult(id, JSONWriter.encode(result))
      case (.reply, .failure(let error)):
        if let error = error as? RPCError {
          sendError(id, error)
        } else {
          logger.error("Internal error in tools/call \(tool): \(String(describing: type(of: error)))")
          sendError(id, .internalError)
        }
      }
    }
  }

  // MARK: Output

  private func sendResult(_ id: RequestID, _ encoded: [UInt8]) {
    transport.send(OutgoingMessage.result(id: id, encodedResult: encoded))
  }

  private func sendError(_ id: RequestID, _ error: RPCError) {
    transport.send(OutgoingMessage.error(id: id, error))
  }
}
