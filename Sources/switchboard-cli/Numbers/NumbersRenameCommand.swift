import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers rename ID NAME`: `updateNumber` with `name`.
struct NumbersRenameCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a number.")

  @OptionGroup var options: OutputOptions

  @Argument(help: "The number's Vapi id.")
  var id: String

  @Argument(help: "The new name (at most 40 characters); \"\" is refused, use --clear to remove the name.")
  var name: String?

  @Flag(help: "Remove the name instead.")
  var clear = false

  func validate() throws {
    if clear == (name != nil) { throw ValidationError("Give a new NAME, or --clear (not both).") }
  }

  func run() async throws {
    var params = options.params
    params["id"] = .string(id)
    params["name"] = name.map { .string($0) } ?? .null
    let number = await CLIService.call(
      "updateNumber", params, errors: options.errors,
      onCancel: CLIService.writeCancelled("check it with `switchboard numbers get \(id)`."))
    NumberFormatting.printNumber(number, json: options.json)
  }
}
