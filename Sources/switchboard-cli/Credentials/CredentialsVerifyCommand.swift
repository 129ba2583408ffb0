import ArgumentParser
import JSON
import JSONRPC

/// `switchboard credentials verify`: one cheap read per provider (`verifyCredentials`).
struct CredentialsVerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify", abstract: "Check the stored credentials against Vapi and Twilio.",
    discussion:
      "Exit status 0 when every provider answers OK, else the status of the first failing provider's error class.")

  @OptionGroup var options: OutputOptions

  func run() async throws {
    let result = await CLIService.call("verifyCredentials", options.params, errors: options.errors)
    if options.json {
      NumberFormatting.printJSON(result)
    } else {
      var table = Table(columns: [
        .init(header: "PROVIDER"), .init(header: "CONFIGURED"), .init(header: "OK"),
        .init(header: "PROBLEM", shrinkable: true, minWidth: 20),
      ])
      for (key, label) in [("vapi", "Vapi"), ("twilio", "Twilio")] {
        let check = result[key]
        let ok = check?["ok"] == .bool(true)
        table.rows.append([
          .init(label),
          .init(check?["configured"] == .bool(true) ? "yes" : "no"),
          .init(ok ? "yes" : "no", style: { ok ? Style.green($0, true) : Style.red($0, true) }),
          .init(check?["error"]?["message"]?.stringValue ?? ""),
        ])
      }
      NumberFormatting.printTable(table)
    }
    for key in ["vapi", "twilio"] where result[key]?["ok"] != .bool(true) {
      CLIService.exitNow(
        ExitStatus.forError(code: 0, kind: result[key]?["error"]?["kind"]?.stringValue ?? "upstream.error"))
    }
  }
}
