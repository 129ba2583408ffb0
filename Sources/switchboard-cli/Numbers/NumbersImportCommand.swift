import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers import SID|NUMBER…`: brings Twilio numbers into Vapi in one bulk call (`importNumbers`).
struct NumbersImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Import Twilio numbers (SIDs or E.164 numbers) into Vapi, voice only.",
    discussion: """
      Numbers given as E.164 are looked up in the Twilio account first (listTwilio); then every SID goes \
      through importNumbers, one after another: one failure never stops the rest. Progress shows on stderr \
      in a terminal. Ctrl-C stops after the number being imported and prints what was imported, what was \
      interrupted (its outcome is unknown: rerun with the same --idempotency-key) and what was not attempted. \
      The exit status is 0 when every number was imported, else the status of the first failure's class.
      """)

  @OptionGroup var options: OutputOptions

  @Argument(help: "Twilio phone number SIDs (PN…) or numbers (E.164), 1 to 1000.")
  var numbers: [String]

  @Option(name: .customLong("name-prefix"), help: "Put before each number's Twilio friendly name.")
  var namePrefix: String?

  @Option(
    name: .customLong("idempotency-key"),
    help: "Key K: each SID runs under K/<sid>, so rerunning the batch never buys twice.")
  var idempotencyKey: String?

  func run() async throws {
    let sids = await resolveSIDs()
    var params = options.params
    params["sids"] = .array(sids.map { .string($0) })
    if let namePrefix { params["namePrefix"] = .string(namePrefix) }
    if let idempotencyKey { params["idempotencyKey"] = .string(idempotencyKey) }
    let progress = ProgressDisplay.ifTerminal(.bar)
    let result = await CLIService.call(
      "importNumbers", params, errors: options.errors, progress: progress,
      onCancel: { error in reportCancel(error, sids: sids) })
    BulkResults.report(
      BulkResults.merged(result, progress: progress), json: options.json, done: "imported", table: printResults)
  }

  /// SIDs as given; E.164 numbers looked up in the Twilio account (all of them before any import).
  private func resolveSIDs() async -> [String] {
    guard numbers.contains(where: { $0.hasPrefix("+") }) else { return numbers }
    var params = options.params
    params["includeNonVoice"] = .bool(true)
    let listing = await CLIService.call("listTwilio", params, errors: options.errors)
    var byNumber: [String: String] = [:]
    for number in listing["numbers"]?.arrayValue ?? [] {
      if let phone = number["phoneNumber"]?.stringValue, let sid = number["sid"]?.stringValue { byNumber[phone] = sid }
    }
    var sids: [String] = []
    for given in numbers {
      guard given.hasPrefix("+") else {
        sids.append(given)
        continue
      }
      guard let sid = byNumber[given] else {
        let error = RPCError(
          code: 1007, message: "The Twilio account has no number \(given); nothing was imported.",
          data: ["kind": "notFound", "provider": "twilio", "resource": "twilioNumber"])
        CLIService.report(error, format: options.errors)
        CLIService.exitNow(ExitStatus.notFound)
      }
      sids.append(sid)
    }
    return sids
  }

  private func printResults(_ results: [JSONValue]) {
    var table = Table(columns: [
      .init(header: "SID", shrinkable: true, dropPriority: 2, minWidth: 10),
      .init(header: "NUMBER"),
      .init(header: "RESULT", shrinkable: true, minWidth: 12),
      .init(header: "NAME", shrinkable: true, dropPriority: 1, minWidth: 8),
      .init(header: "ID", shrinkable: true, dropPriority: 3, minWidth: 9),
    ])
    for item in results {
      let ok = item["ok"] == .bool(true)
      let number = item["number"]
      table.rows.append([
        .init(item["sid"]?.stringValue ?? ""),
        .init(number?["number"]?.stringValue ?? ""),
        .init(
          ok ? "imported" : (item["error"]?["message"]?.stringValue ?? "failed"),
          style: { ok ? Style.green($0, true) : Style.red($0, true) }),
        .init(number?["name"]?.stringValue ?? ""),
        .init(number?["id"]?.stringValue ?? ""),
      ])
    }
    if !results.isEmpty { NumberFormatting.printTable(table) }
  }

  /// What Ctrl-C left behind: done, interrupted (unknown outcome), not attempted.
  private func reportCancel(_ error: RPCError?, sids: [String]) {
    let data = error?.data
    let completed = data?["completed"]?.arrayValue ?? []
    let interrupted = (data?["interrupted"]?.arrayValue ?? []).compactMap(\.stringValue)
    let notAttempted = (data?["notAttempted"]?.arrayValue ?? []).compactMap(\.stringValue)
    if options.json, let error {
      CLIService.report(error, format: .json)
      return
    }
    let imported = completed.filter { $0["ok"] == .bool(true) }
    let failed = completed.count - imported.count
    Terminal.writeError(
      "Imported (\(imported.count)): \(imported.compactMap { $0["sid"]?.stringValue }.joined(separator: " "))\n")
    if failed > 0 {
      Terminal.writeError(
        "Failed (\(failed)): \(completed.filter { $0["ok"] != .bool(true) }.compactMap { $0["sid"]?.stringValue }.joined(separator: " "))\n"
      )
    }
    if !interrupted.isEmpty {
      Terminal.writeError(
        "Interrupted, outcome unknown (\(interrupted.count)): \(interrupted.joined(separator: " "))\n")
      Terminal.writeError(
        "  Rerun with the same --idempotency-key, or check `switchboard numbers list`, before trying it again.\n")
    }
    Terminal.writeError("Not attempted (\(notAttempted.count)): \(notAttempted.joined(separator: " "))\n")
    if data == nil {
      Terminal.writeError(
        "(The import was cancelled before it started: of \(sids.count) numbers, none was attempted.)\n")
    }
  }
}
