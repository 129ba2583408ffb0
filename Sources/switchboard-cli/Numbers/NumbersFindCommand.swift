import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers find +E164`: the Vapi number equal to a phone number (`getNumber` with `number`).
struct NumbersFindCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "find", abstract: "Find the Vapi number equal to a phone number (E.164).",
    discussion: """
      Runs getNumber {number}: Vapi's search matches digits anywhere (names too), so near matches come \
      back from Vapi and only the exact number is kept. None is the not-found exit status (66).
      """)

  @OptionGroup var options: OutputOptions

  @Argument(help: "The phone number, E.164 (e.g. +14155550100).")
  var number: String

  func run() async throws {
    var params = options.params
    params["number"] = .string(number)
    let found = await CLIService.call("getNumber", params, errors: options.errors)
    NumberFormatting.printNumber(found, json: options.json)
  }
}
