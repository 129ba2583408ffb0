import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers get ID`: one number (`getNumber`), e.g. to follow `activating` to `active`.
struct NumbersGetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "get", abstract: "Show one number by its Vapi id.")

  @OptionGroup var options: OutputOptions

  @Argument(help: "The number's Vapi id (a UUID, as `numbers list` shows).")
  var id: String

  func run() async throws {
    var params = options.params
    params["id"] = .string(id)
    let number = await CLIService.call("getNumber", params, errors: options.errors)
    NumberFormatting.printNumber(number, json: options.json)
  }
}
