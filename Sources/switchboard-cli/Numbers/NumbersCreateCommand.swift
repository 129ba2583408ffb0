import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers create`: a free Vapi number in a US area code (`createNumber`).
struct NumbersCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create a free Vapi number in a US area code.",
    discussion: """
      Creating spends from the account's free-number allowance. Give --idempotency-key so a retry \
      after a timeout or a crash never creates a second number: the same key returns the first outcome.
      """)

  @OptionGroup var options: OutputOptions

  @Option(name: .customLong("area-code"), help: "Three-digit US area code, e.g. 415.")
  var areaCode: String

  @Option(help: "Name of the number (at most 40 characters).")
  var name: String?

  @Option(help: "Fallback (transfer) number, E.164; default: the profile's transferPhoneNumber.")
  var fallback: String?

  @Option(name: .customLong("idempotency-key"), help: "Key that makes a retry safe (1-255 printable characters).")
  var idempotencyKey: String?

  func run() async throws {
    var params = options.params
    params["areaCode"] = .string(areaCode)
    if let name { params["name"] = .string(name) }
    if let fallback { params["fallbackNumber"] = .string(fallback) }
    if let idempotencyKey { params["idempotencyKey"] = .string(idempotencyKey) }
    let number = await CLIService.call(
      "createNumber", params, errors: options.errors,
      onCancel: CLIService.writeCancelled(
        "rerun with the same --idempotency-key (it never creates a second number), or check `switchboard numbers list`."
      ))
    NumberFormatting.printNumber(number, json: options.json)
    if number["status"]?.stringValue == "activating", let id = number["id"]?.stringValue {
      Terminal.writeError("The number is activating (a few minutes); follow it with: switchboard numbers get \(id)\n")
    }
  }
}
