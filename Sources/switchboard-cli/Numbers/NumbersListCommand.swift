import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers list`: every number in the Vapi account (`listNumbers`).
struct NumbersListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List every number in the Vapi account, newest first.",
    discussion: """
      Filters combine with AND. --search is Vapi's partial match on name, number or SIP URI (search digits); \
      the others are applied to each page Switchboard reads (listNumbers).
      """)

  @OptionGroup var options: OutputOptions

  @Option(help: "Partial, case-insensitive match on name, number or SIP URI (1-100 characters).")
  var search: String?

  @Option(help: "Only numbers of this provider: vapi, twilio, byo-phone-number, vonage, telnyx.")
  var provider: String?

  @Option(name: .customLong("area-code"), help: "Only US numbers in this three-digit area code.")
  var areaCode: String?

  @Option(help: "Only numbers answered by this assistant (its Vapi id).")
  var assistant: String?

  @Option(help: "Only numbers in this status: active, activating, blocked.")
  var status: String?

  /// Whether any filter narrows the listing.
  private var filtered: Bool { [search, provider, areaCode, assistant, status].contains { $0 != nil } }

  func run() async throws {
    let progress = ProgressDisplay.ifTerminal(.listing(noun: "numbers"))
    var params = options.params
    if let search { params["search"] = .string(search) }
    if let provider { params["provider"] = .string(provider) }
    if let areaCode { params["areaCode"] = .string(areaCode) }
    if let assistant { params["assistantId"] = .string(assistant) }
    if let status { params["status"] = .string(status) }
    var result = await CLIService.call("listNumbers", params, errors: options.errors, progress: progress)
    if let progress, case .object(var object) = result {
      object["numbers"] = .array(progress.collected)  // streamed as partial results
      result = .object(object)
    }
    if options.json { return NumberFormatting.printJSON(result) }
    let numbers = result["numbers"]?.arrayValue ?? []
    if numbers.isEmpty, filtered {
      Terminal.writeOutput("No number matches these filters.\n")
      return
    }
    if numbers.isEmpty {
      Terminal.writeOutput(
        "No numbers in this Vapi account. Import one with `switchboard numbers import`, or create one with `switchboard numbers create --area-code 415`.\n"
      )
      return
    }
    NumberFormatting.printTable(NumberFormatting.numbersTable(numbers))
  }
}
