import Foundation
import JSON
import JSONRPC

/// Progress of a long call on stderr (a terminal): a bar with counts for bulk work, pages and
/// numbers for listings. Also collects the partial results the call streams, since an in-process
/// call with progress returns its items that way (as over the wire with `partialResultToken`).
final class ProgressDisplay: @unchecked Sendable {
  enum Kind {
    /// `n of total` work: drawn as a bar.
    case bar
    /// Pages of items: drawn as counts.
    case listing(noun: String)
  }

  private let kind: Kind
  private let lock = NSLock()
  private var title = ""
  private var message = ""
  private var percentage = 0
  private var pages = 0
  private var items: [JSONValue] = []
  private var drawn = false
  private var finished = false
  private let styled = Terminal.stderrStyled

  init(_ kind: Kind) { self.kind = kind }

  /// A display when stderr is a terminal, else nil (no progress, and the call returns its items whole).
  static func ifTerminal(_ kind: Kind) -> ProgressDisplay? {
    Terminal.stderrIsTerminal ? ProgressDisplay(kind) : nil
  }

  /// The partial results received so far, in order.
  var collected: [JSONValue] { lock.withLock { items } }

  func handle(_ event: InProcessProgress) {
    lock.withLock {
      switch event {
      case .workDone(let value):
        if let text = value["title"]?.stringValue { title = text }
        if let text = value["message"]?.stringValue { message = text }
        if case .number(let token)? = value["percentage"], let p = Int(token) { percentage = max(percentage, p) }
        if value["kind"]?.stringValue == "end" { return }
      case .partialResult(let value):
        pages += 1
        items.append(contentsOf: value.arrayValue ?? [])
      }
      draw()
    }
  }

  /// Clears the line (the final output follows on stdout).
  func finish() {
    lock.withLock {
      finished = true
      if drawn { Terminal.writeError("\r\u{1B}[2K") }
      drawn = false
    }
  }

  private func draw() {
    guard !finished else { return }
    let width = Terminal.stderrWidth
    var line: String
    switch kind {
    case .bar:
      let counts = message.isEmpty ? "\(percentage)%" : message
      let label = title.isEmpty ? "Working" : title
      let barWidth = max(10, min(40, width - label.count - counts.count - 8))
      let filled = barWidth * percentage / 100
      let full = styled ? "█" : "#"
      let empty = styled ? "░" : "."
      line =
        "\(label) [\(String(repeating: full, count: filled))\(String(repeating: empty, count: barWidth - filled))] \(counts)"
    case .listing(let noun):
      let label = title.isEmpty ? "Listing" : title
      line = "\(label)… \(items.count) \(noun)\(pages > 0 ? ", page \(pages)" : "") (\(percentage)%)"
    }
    if line.count >= width { line = String(line.prefix(width - 1)) }
    Terminal.writeError("\r\u{1B}[2K" + line)
    drawn = true
  }
}
