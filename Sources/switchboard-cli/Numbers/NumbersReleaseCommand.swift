import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers release ID`: `deleteNumber`, after the number is typed back.
struct NumbersReleaseCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "release", abstract: "Release a number from Vapi (irreversible).",
    discussion: """
      Asks for the number (E.164) to be typed back before anything is sent; a script passes it with \
      --confirm NUMBER instead. A wrong answer releases nothing (exit status 65). A Twilio number stays \
      in the Twilio account; a free Vapi number is gone.
      """)

  @OptionGroup var options: OutputOptions

  @Argument(help: "The number's Vapi id.")
  var id: String

  @Option(help: "The number (E.164) or its id, repeated to confirm without a prompt.")
  var confirm: String?

  func run() async throws {
    var params = options.params
    params["id"] = .string(id)
    var answer = confirm
    if answer == nil {
      let number = await CLIService.call("getNumber", params, errors: options.errors)
      let shown = number["number"]?.stringValue ?? number["sipUri"]?.stringValue ?? id
      let name = number["name"]?.stringValue.map { " (\($0))" } ?? ""
      Terminal.writeError("Releasing \(shown)\(name) is irreversible.\n")
      let typed = (try? Prompt.read("Type \(shown) to release it: ", echo: true)) ?? ""
      guard typed == shown || typed == id else {
        Terminal.writeError(
          typed.isEmpty ? "Nothing typed: nothing was released.\n" : "That is not \(shown): nothing was released.\n")
        CLIService.exitNow(ExitStatus.invalidParams)
      }
      answer = typed
    }
    params["confirm"] = .string(answer!)
    let released = await CLIService.call(
      "deleteNumber", params, errors: options.errors,
      onCancel: CLIService.writeCancelled("check it with `switchboard numbers get \(id)`."))
    if options.json { return NumberFormatting.printJSON(released) }
    let shown = released["number"]?.stringValue ?? id
    Terminal.writeOutput("Released \(shown).\n")
  }
}
