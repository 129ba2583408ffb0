import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers list`: every number in the Vapi account (`listNumbers`).
struct NumbersListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List every number in the Vapi account, newest first.")

  @OptionGroup var options: OutputOptions

  func run() async throws {
    let progress = ProgressDisplay.ifTerminal(.listing(noun: "numbers"))
    var result = await CLIService.call("listNumbers", options.params, errors: options.errors, progress: progress)
    if let progress, case .object(var object) = result {
      object["numbers"] = .array(progress.collected)  // streamed as partial results
      result = .object(object)
    }
    if options.json { return NumberFormatting.printJSON(result) }
    let numbers = result["numbers"]?.arrayValue ?? []
    if numbers.isEmpty {
      Terminal.writeOutput(
        "No numbers in this Vapi account. Import one with `switchboard numbers import`, or create one with `switchboard numbers create --area-code 415`.\n"
      )
      return
    }
    NumberFormatting.printTable(NumberFormatting.numbersTable(numbers))
  }
}
