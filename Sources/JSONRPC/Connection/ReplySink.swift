import Synchronization

/// Where a reply goes: straight to the writer, or into the batch it belongs to.
enum ReplySink: Sendable {
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
final class BatchCollector: Sendable {
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
