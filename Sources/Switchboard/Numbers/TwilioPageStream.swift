import JSON
import JSONRPC
import Synchronization
import Telephony

/// Turns Twilio pages into `listTwilio`'s numbers once the Vapi index is known (earlier pages are
/// held until then): streamed as partial results when the client asked for them, else encoded
/// into the reply's array page by page, so the numbers are never all held as models.
final class PartialPageStream: Sendable {
  private struct State {
    var index: [String: String]?
    var held: [[TwilioIncomingNumber]] = []
    var count = 0
    var numbers = JSONArrayBuilder()
  }
  private let state = Mutex(State())
  private let context: RequestContext
  private let includeNonVoice: Bool

  init(context: RequestContext, includeNonVoice: Bool) {
    self.context = context
    self.includeNonVoice = includeNonVoice
  }

  func page(_ page: [TwilioIncomingNumber]) throws {
    let kept = includeNonVoice ? page : page.filter { $0.capabilities.voice }
    try state.withLock { state in
      if let index = state.index { try emit(kept, index, into: &state) } else { state.held.append(kept) }
    }
  }

  func indexReady(_ index: [String: String]) throws {
    try state.withLock { state in
      state.index = index
      let held = state.held
      state.held = []
      for page in held { try emit(page, index, into: &state) }
    }
  }

  /// The numbers listed (an empty array when they went out as partial results) and their count.
  func finish() -> (numbers: JSONFragment, count: Int) {
    state.withLock { ($0.numbers.finish(), $0.count) }
  }

  private func emit(_ page: [TwilioIncomingNumber], _ index: [String: String], into state: inout State) throws {
    state.count += page.count
    if context.wantsPartialResults {
      if !page.isEmpty { try context.sendPartialResult(page.map { TwilioNumber($0, vapiId: index[$0.phoneNumber]) }) }
    } else {
      for number in page {
        state.numbers.append { TwilioNumber(number, vapiId: index[number.phoneNumber]).write(to: &$0) }
      }
    }
  }
}
