import Synchronization

/// Fetches the pages of a listing one ahead of the walk that consumes them: page n + 1 is requested
/// as soon as page n's body says where it is (a fast scan, before page n is parsed), so the next
/// request overlaps the parsing of this page and the walk's own work on it.
///
/// Never more than one page ahead of the consumer: a page found while the consumer is still on an
/// earlier one waits until the consumer gets there. The consumer still decides where the walk
/// goes: when it asks for a page at another locator than the one prefetched (or stops), the
/// prefetched request is cancelled. Cancelling the consumer's task cancels the page it waits for
/// and `finish()` (call it on every exit) cancels the one ahead, so no request starts after either.
final class PagePipeline<Locator: Sendable & Equatable, Page: Sendable>: Sendable {
  /// Fetches page `number` at `locator`; calls `announce` with the next page's locator (nil when
  /// there is none) as soon as the body shows it, then returns the parsed page.
  typealias Fetch =
    @Sendable (_ number: Int, _ locator: Locator, _ announce: @escaping @Sendable (Locator?) -> Void)
    async throws -> Page

  private struct Started {
    let locator: Locator
    let task: Task<Page, any Error>
  }
  private struct State {
    /// The page the consumer is on (waiting for, or working on).
    var consumerAt = 0
    var started: [Int: Started] = [:]
    /// Page n's announcement of page n + 1, kept until the consumer reaches page n.
    var announced: [Int: Locator] = [:]
    var finished = false
  }
  private let state = Mutex(State())
  private let fetch: Fetch

  init(fetch: @escaping Fetch) {
    self.fetch = fetch
  }

  /// Page `number` (numbered from 1, taken in order) at `locator`: the prefetched one when it was
  /// requested at that locator, else requested now.
  func page(_ number: Int, at locator: Locator) async throws -> Page {
    let task = state.withLock { state -> Task<Page, any Error> in
      state.consumerAt = number
      for (other, started) in state.started where other < number || (other == number && started.locator != locator) {
        started.task.cancel()
        state.started[other] = nil
      }
      let task = state.started[number]?.task ?? start(number, locator, in: &state)
      if let next = state.announced.removeValue(forKey: number) { startNext(after: number, next, in: &state) }
      return task
    }
    let page = try await withTaskCancellationHandler {
      try await task.value
    } onCancel: {
      task.cancel()
    }
    state.withLock { _ = $0.started.removeValue(forKey: number) }
    return page
  }

  /// Cancels whatever was requested ahead; nothing is requested after this.
  func finish() {
    state.withLock { state in
      state.finished = true
      for started in state.started.values { started.task.cancel() }
      state.started = [:]
      state.announced = [:]
    }
  }

  private func start(_ number: Int, _ locator: Locator, in state: inout State) -> Task<Page, any Error> {
    let fetch = self.fetch
    let task = Task { [weak self] in
      let pipeline = self
      return try await fetch(number, locator) { next in pipeline?.announce(after: number, next) }
    }
    state.started[number] = Started(locator: locator, task: task)
    if state.finished { task.cancel() }
    return task
  }

  private func announce(after number: Int, _ next: Locator?) {
    guard let next else { return }
    state.withLock { state in
      // Only a page still wanted announces (not one cancelled for another locator).
      guard !state.finished, state.started[number] != nil, state.started[number + 1] == nil else { return }
      if number <= state.consumerAt {
        startNext(after: number, next, in: &state)
      } else {
        state.announced[number] = next
      }
    }
  }

  private func startNext(after number: Int, _ next: Locator, in state: inout State) {
    guard !state.finished, state.started[number + 1] == nil else { return }
    _ = start(number + 1, next, in: &state)
  }
}
