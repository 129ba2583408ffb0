import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers usage [ID…]`: calls, minutes and cost per number over a window (`getUsage`),
/// shown beside each number and name (`listNumbers`).
struct NumbersUsageCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "usage", abstract: "Show calls, minutes and cost per number over a window (default: 30 days).",
    discussion: """
      Runs getUsage (every number of the account without IDs), then listNumbers for each number and name. \
      Dates are ISO 8601 (2026-11-01T00:00:00Z) or a day (2026-11-01, midnight UTC). Figures are cached: \
      --max-age 300 reuses a number's figures synced within 5 minutes without asking Vapi. Progress shows \
      on stderr in a terminal; Ctrl-C stops between requests (the numbers already read stay cached). \
      NOT ENDED counts calls still running: their minutes and cost are provisional.
      """)

  @OptionGroup var options: OutputOptions

  @Argument(help: "Vapi ids of the numbers (default: every number of the account).")
  var ids: [String] = []

  @Option(help: "Start of the window, inclusive (default: 30 days before --until).")
  var since: String?

  @Option(help: "End of the window, exclusive (default: now).")
  var until: String?

  @Option(name: .customLong("max-age"), help: "Reuse cached figures synced at most this many seconds ago.")
  var maxAge: Int?

  func run() async throws {
    var params = options.params
    if !ids.isEmpty { params["ids"] = .array(ids.map { .string($0) }) }
    if let since { params["since"] = .string(Self.instant(since)) }
    if let until { params["until"] = .string(Self.instant(until)) }
    if let maxAge { params["maxAgeSeconds"] = .number(String(maxAge)) }
    let progress = ProgressDisplay.ifTerminal(.bar)
    var result = await CLIService.call(
      "getUsage", params, errors: options.errors, progress: progress,
      onCancel: { error in
        if options.json, let error { return CLIService.report(error, format: .json) }
        Terminal.writeError(
          "Nothing was changed. The numbers read before the cancel are cached: rerun with --max-age to reuse them.\n")
      })
    if let progress, case .object(var object) = result {
      object["usage"] = .array(Self.ordered(progress.collected, by: ids))  // streamed in completion order
      result = .object(object)
    }
    if options.json { return NumberFormatting.printJSON(result) }
    let usage = result["usage"]?.arrayValue ?? []
    if usage.isEmpty {
      Terminal.writeOutput("No numbers in this Vapi account.\n")
      return
    }
    let listing = await CLIService.call("listNumbers", options.params, errors: options.errors)
    let numbers = listing["numbers"]?.arrayValue ?? []
    var byID: [String: JSONValue] = [:]
    for number in numbers { if let id = number["id"]?.stringValue { byID[id] = number } }
    let rows = ids.isEmpty ? Self.ordered(usage, by: numbers.compactMap { $0["id"]?.stringValue }) : usage
    NumberFormatting.printTable(table(rows, numbers: byID))
    let window =
      "\(NumberFormatting.localTime(result["since"]?.stringValue)) to \(NumberFormatting.localTime(result["until"]?.stringValue))"
    Terminal.writeError("Calls from \(window); \(Self.text(result["requests"])) requests to Vapi.\n")
  }

  private func table(_ usage: [JSONValue], numbers: [String: JSONValue]) -> Table {
    var table = Table(columns: [
      .init(header: "NUMBER"),
      .init(header: "NAME", shrinkable: true, dropPriority: 2, minWidth: 8),
      .init(header: "CALLS"),
      .init(header: "IN", dropPriority: 4),
      .init(header: "OUT", dropPriority: 4),
      .init(header: "NOT ENDED", dropPriority: 5),
      .init(header: "MINUTES"),
      .init(header: "COST USD"),
      .init(header: "LAST CALL", dropPriority: 1),
      .init(header: "ID", dropPriority: 3),
    ])
    for item in usage {
      let id = item["id"]?.stringValue ?? ""
      let number = numbers[id]
      table.rows.append([
        .init(number?["number"]?.stringValue ?? number?["sipUri"]?.stringValue ?? "(not in the account)"),
        .init(number?["name"]?.stringValue ?? ""),
        .init(Self.text(item["calls"])),
        .init(Self.text(item["inbound"])),
        .init(Self.text(item["outbound"])),
        .init(Self.text(item["notEnded"])),
        .init(Self.text(item["minutes"])),
        .init(Self.text(item["costUsd"])),
        .init(NumberFormatting.localTime(item["lastCallAt"]?.stringValue)),
        .init(id),
      ])
    }
    return table
  }

  /// A JSON number as written.
  private static func text(_ value: JSONValue?) -> String {
    if case .number(let token)? = value { return token }
    return ""
  }

  /// A day (`2026-11-01`) as its midnight UTC; anything else as given (the service validates it).
  static func instant(_ given: String) -> String {
    let isDay =
      given.count == 10
      && given.enumerated().allSatisfy { i, c in [4, 7].contains(i) ? c == "-" : c.isASCII && c.isNumber }
    return isDay ? given + "T00:00:00Z" : given
  }

  /// Items in the order of `order` (by `id`); items not in it keep their order, after.
  static func ordered(_ items: [JSONValue], by order: [String]) -> [JSONValue] {
    guard !order.isEmpty else { return items }
    var position: [String: Int] = [:]
    for (i, id) in order.enumerated() where position[id] == nil { position[id] = i }
    return items.enumerated().sorted { a, b in
      let pa = position[a.element["id"]?.stringValue ?? ""] ?? (order.count + a.offset)
      let pb = position[b.element["id"]?.stringValue ?? ""] ?? (order.count + b.offset)
      return pa < pb
    }.map(\.element)
  }
}
