import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers route ID`: where calls go (`updateNumber` with `fallbackNumber` / `assistantId`).
struct NumbersRouteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "route", abstract: "Set or clear a number's fallback destination and assistant.")

  @OptionGroup var options: OutputOptions

  @Argument(help: "The number's Vapi id.")
  var id: String

  @Option(help: "Fallback (transfer) number, E.164.")
  var fallback: String?

  @Flag(name: .customLong("no-fallback"), help: "Remove the fallback destination.")
  var noFallback = false

  @Option(help: "Vapi assistant id to answer calls.")
  var assistant: String?

  @Flag(name: .customLong("no-assistant"), help: "Unassign the assistant.")
  var noAssistant = false

  func validate() throws {
    if fallback != nil && noFallback { throw ValidationError("--fallback and --no-fallback exclude each other.") }
    if assistant != nil && noAssistant { throw ValidationError("--assistant and --no-assistant exclude each other.") }
    if fallback == nil && !noFallback && assistant == nil && !noAssistant {
      throw ValidationError("Say what to change: --fallback NUMBER, --no-fallback, --assistant ID or --no-assistant.")
    }
  }

  func run() async throws {
    var params = options.params
    params["id"] = .string(id)
    if let fallback {
      params["fallbackNumber"] = .string(fallback)
    } else if noFallback {
      params["fallbackNumber"] = .null
    }
    if let assistant {
      params["assistantId"] = .string(assistant)
    } else if noAssistant {
      params["assistantId"] = .null
    }
    let number = await CLIService.call(
      "updateNumber", params, errors: options.errors,
      onCancel: CLIService.writeCancelled("check it with `switchboard numbers get \(id)`."))
    NumberFormatting.printNumber(number, json: options.json)
  }
}
