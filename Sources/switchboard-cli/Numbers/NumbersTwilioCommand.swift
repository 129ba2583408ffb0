import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers twilio`: the Twilio account's numbers and whether each is in Vapi (`listTwilio`).
struct NumbersTwilioCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "twilio", abstract: "List the Twilio account's voice numbers and whether each is already in Vapi.")

  @OptionGroup var options: OutputOptions

  @Flag(name: .customLong("include-non-voice"), help: "Also list numbers without voice capability.")
  var includeNonVoice = false

  func run() async throws {
    var params = options.params
    if includeNonVoice { params["includeNonVoice"] = .bool(true) }
    let progress = ProgressDisplay.ifTerminal(.listing(noun: "numbers"))
    var result = await CLIService.call("listTwilio", params, errors: options.errors, progress: progress)
    if let progress, case .object(var object) = result {
      object["numbers"] = .array(progress.collected)
      result = .object(object)
    }
    if options.json { return NumberFormatting.printJSON(result) }
    let numbers = result["numbers"]?.arrayValue ?? []
    if numbers.isEmpty {
      Terminal.writeOutput("No voice numbers in this Twilio account.\n")
      return
    }
    var table = Table(columns: [
      .init(header: "NUMBER"),
      .init(header: "NAME", shrinkable: true, minWidth: 8),
      .init(header: "CAPABILITIES", dropPriority: 2),
      .init(header: "IN VAPI", dropPriority: 1),
      .init(header: "SID", shrinkable: true, dropPriority: 3, minWidth: 10),
    ])
    let vapiChecked = result["vapiChecked"] == .bool(true)
    for number in numbers {
      let capabilities = ["voice", "sms", "mms", "fax"].filter { number["capabilities"]?[$0] == .bool(true) }
      let imported = number["imported"] == .bool(true)
      table.rows.append([
        .init(number["phoneNumber"]?.stringValue ?? ""),
        .init(number["friendlyName"]?.stringValue ?? ""),
        .init(capabilities.joined(separator: ",")),
        .init(!vapiChecked ? "?" : imported ? "yes" : "no", style: { imported ? Style.green($0, true) : $0 }),
        .init(number["sid"]?.stringValue ?? ""),
      ])
    }
    NumberFormatting.printTable(table)
    if !vapiChecked {
      Terminal.writeError("No Vapi key stored: \"IN VAPI\" is unknown. Store it with `switchboard credentials set`.\n")
    }
  }
}
