import Synchronization

/// Where a reply goes: straight to the transport, or into the batch it belongs to.
enum ReplySink: Sendable {
  case direct(any Transport)
  case batch(BatchCollector)

  func reserve() {
    if case .batch(let batch) = self { batch.reserve() }
  }

  func send(_ reply: [UInt8], id: RequestID) {
    switch self {
    case .direct(let transport): transport.send(reply)
    case .batch(let batch): batch.deliver(reply, id: id)
    }
  }
}

/// Collects the replies of one batch and writes them as one array once all are in.
///
/// The replies held count in the output budget. Past `limitBytes` an item's reply is replaced
/// by a short -32600 (`data.limitBytes`), so a batch holds at most `limitBytes` plus one short
/// error per item (and items are capped by `Configuration.maxBatchItems`).
final class BatchCollector: Sendable {
  private struct State {
    var expected = 0
    var replies: [[UInt8]] = []
    var heldBytes = 0
    var sealed = false
  }
  private let state = Mutex(State())
  private let transport: any Transport
  let limitBytes: Int

  init(transport: any Transport, limitBytes: Int) {
    self.transport = transport
    self.limitBytes = limitBytes
  }

  func reserve() { state.withLock { $0.expected += 1 } }

  func deliver(_ reply: [UInt8], id: RequestID) {
    let ready = state.withLock { state -> ([[UInt8]], Int)? in
      var reply = reply
      if state.heldBytes + reply.count > limitBytes {
        reply = OutgoingMessage.error(
          id: id, .invalidRequest("the batch's replies exceed the size limit", data: ["limitBytes": .int(limitBytes)]))
      }
      state.heldBytes += reply.count
      transport.budget.addQueued(reply.count)
      state.replies.append(reply)
      return state.sealed && state.replies.count == state.expected ? (state.replies, state.heldBytes) : nil
    }
    if let ready { write(ready.0, held: ready.1) }
  }

  /// Every item has been dispatched; write now if every reply is already in.
  func seal() {
    let ready = state.withLock { state -> ([[UInt8]], Int)? in
      state.sealed = true
      return state.replies.count == state.expected && state.expected > 0 ? (state.replies, state.heldBytes) : nil
    }
    if let ready { write(ready.0, held: ready.1) }
  }

  private func write(_ replies: [[UInt8]], held: Int) {
    var out: [UInt8] = [UInt8(ascii: "[")]
    out.reserveCapacity(held + replies.count + 2)
    for (index, reply) in replies.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      out.append(contentsOf: reply)
    }
    out.append(UInt8(ascii: "]"))
    state.withLock { $0.replies = [] }
    transport.send(out)
    transport.budget.removeQueued(held)
  }
}
