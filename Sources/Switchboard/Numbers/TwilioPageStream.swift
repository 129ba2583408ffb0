import JSONRPC
import Synchronization
import Telephony

/// Streams Twilio pages as partial results once the Vapi index is known, holding earlier pages until then.
final class PartialPageStream: Sendable {
  private struct State {
    var index: [String: String]?
    var held: [[TwilioIncomingNumber]] = []
  }
  private let state = Mutex(State())
  private let context: RequestContext
  private let includeNonVoice: Bool

  init(context: RequestContext, includeNonVoice: Bool) {
    self.context = context
    self.includeNonVoice = includeNonVoice
  }

  func page(_ page: [TwilioIncomingNumber]) throws {
    guard context.wantsPartialResults else { return }
    let kept = page.filter { includeNonVoice || $0.capabilities.voice }
    try state.withLock { state in
      if let index = state.index { try send(kept, index) } else { state.held.append(kept) }
    }
  }

  func indexReady(_ index: [String: String]) throws {
    try state.withLock { state in
      state.index = index
      for page in state.held { try send(page, index) }
      state.held = []
    }
  }

  private func send(_ page: [TwilioIncomingNumber], _ index: [String: String]) throws {
    if !page.isEmpty { try context.sendPartialResult(page.map { TwilioNumber($0, vapiId: index[$0.phoneNumber]) }) }
  }
}
