import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers release ID…`: `deleteNumber` after the number is typed back, or, for several
/// ids, `deleteNumbers` after `release N numbers` is typed.
struct NumbersReleaseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "release", abstract: "Release numbers from Vapi (irreversible).",
    discussion: """
      One id: asks for the number (E.164) to be typed back before anything is sent; a script passes it \
      with --confirm NUMBER instead. Several ids: asks for the exact text `release N numbers` (a script \
      passes --confirm "release N numbers"), then releases them one after another (deleteNumbers): one \
      failure never stops the rest, and the exit status is that of the first failure's class. Ctrl-C stops \
      after the number in flight and prints what was released, interrupted and not attempted. A wrong \
      answer releases nothing (exit status 65). A Twilio number stays in the Twilio account; a free Vapi \
      number is gone.
      """)

  @OptionGroup var options: OutputOptions

  @Argument(help: "The numbers' Vapi ids (1 to 1000).")
  var ids: [String]

  @Option(
    help: "One id: the number (E.164) or its id, repeated. Several: exactly \"release N numbers\". No prompt then.")
  var confirm: String?

  func run() async throws {
    if ids.count == 1 { return await releaseOne(ids[0]) }
    await releaseSeveral()
  }

  private func releaseOne(_ id: String) async {
    var params = options.params
    params["id"] = .string(id)
    var answer = confirm
    if answer == nil {
      let number = await CLIService.call("getNumber", params, errors: options.errors)
      let shown = number["number"]?.stringValue ?? number["sipUri"]?.stringValue ?? id
      let name = number["name"]?.stringValue.map { " (\($0))" } ?? ""
      Terminal.writeError("Releasing \(shown)\(name) is irreversible.\n")
      let typed = (try? Prompt.read("Type \(shown) to release it: ", echo: true)) ?? ""
      guard typed == shown || typed == id else {
        Terminal.writeError(
          typed.isEmpty ? "Nothing typed: nothing was released.\n" : "That is not \(shown): nothing was released.\n")
        CLIService.exitNow(ExitStatus.invalidParams)
      }
      answer = typed
    }
    params["confirm"] = .string(answer!)
    let released = await CLIService.call(
      "deleteNumber", params, errors: options.errors,
      onCancel: CLIService.writeCancelled("check it with `switchboard numbers get \(id)`."))
    if options.json { return NumberFormatting.printJSON(released) }
    let shown = released["number"]?.stringValue ?? id
    Terminal.writeOutput("Released \(shown).\n")
  }

  private func releaseSeveral() async {
    let expected = "release \(ids.count) numbers"
    var params = options.params
    params["ids"] = .array(ids.map { .string($0) })
    var answer = confirm
    if answer == nil {
      let listing = await CLIService.call("listNumbers", options.params, errors: options.errors)
      var byID: [String: JSONValue] = [:]
      for number in listing["numbers"]?.arrayValue ?? [] {
        if let id = number["id"]?.stringValue { byID[id] = number }
      }
      Terminal.writeError("Releasing these \(ids.count) numbers is irreversible:\n")
      for id in ids {
        let number = byID[id]
        let shown = number?["number"]?.stringValue ?? number?["sipUri"]?.stringValue ?? "(not in this account)"
        let name = number?["name"]?.stringValue.map { " (\($0))" } ?? ""
        Terminal.writeError("  \(shown)\(name)  \(id)\n")
      }
      let typed = (try? Prompt.read("Type \"\(expected)\" to release them: ", echo: true)) ?? ""
      guard typed == expected else {
        Terminal.writeError(
          typed.isEmpty
            ? "Nothing typed: nothing was released.\n" : "That is not \"\(expected)\": nothing was released.\n")
        CLIService.exitNow(ExitStatus.invalidParams)
      }
      answer = typed
    }
    params["confirm"] = .string(answer!)
    let progress = ProgressDisplay.ifTerminal(.bar)
    let result = await CLIService.call(
      "deleteNumbers", params, errors: options.errors, progress: progress, onCancel: reportCancel)
    BulkResults.report(
      BulkResults.merged(result, progress: progress), json: options.json, done: "released", table: printResults)
  }

  private func printResults(_ results: [JSONValue]) {
    var table = Table(columns: [
      .init(header: "ID", shrinkable: true, dropPriority: 1, minWidth: 9),
      .init(header: "NUMBER"),
      .init(header: "RESULT", shrinkable: true, minWidth: 12),
      .init(header: "NAME", shrinkable: true, dropPriority: 2, minWidth: 8),
    ])
    for item in results {
      let ok = item["ok"] == .bool(true)
      let number = item["number"]
      table.rows.append([
        .init(item["id"]?.stringValue ?? ""),
        .init(number?["number"]?.stringValue ?? number?["sipUri"]?.stringValue ?? ""),
        .init(
          ok ? "released" : (item["error"]?["message"]?.stringValue ?? "failed"),
          style: { ok ? Style.green($0, true) : Style.red($0, true) }),
        .init(number?["name"]?.stringValue ?? ""),
      ])
    }
    if !results.isEmpty { NumberFormatting.printTable(table) }
  }

  /// What Ctrl-C left behind: released, interrupted (unknown outcome), not attempted.
  private func reportCancel(_ error: RPCError?) {
    if options.json, let error { return CLIService.report(error, format: .json) }
    let data = error?.data
    let completed = data?["completed"]?.arrayValue ?? []
    let released = (data?["released"]?.arrayValue ?? []).compactMap(\.stringValue)
    let failed = completed.filter { $0["ok"] != .bool(true) }.compactMap { $0["id"]?.stringValue }
    let interrupted = (data?["interrupted"]?.arrayValue ?? []).compactMap(\.stringValue)
    let notAttempted = data == nil ? ids : (data?["notAttempted"]?.arrayValue ?? []).compactMap(\.stringValue)
    Terminal.writeError("Released (\(released.count)): \(released.joined(separator: " "))\n")
    if !failed.isEmpty { Terminal.writeError("Failed (\(failed.count)): \(failed.joined(separator: " "))\n") }
    if !interrupted.isEmpty {
      Terminal.writeError(
        "Interrupted, outcome unknown (\(interrupted.count)): \(interrupted.joined(separator: " "))\n"
          + "  Check it with `switchboard numbers get ID` before trying it again.\n")
    }
    Terminal.writeError("Not attempted (\(notAttempted.count)): \(notAttempted.joined(separator: " "))\n")
  }
}
