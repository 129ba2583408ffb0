import ArgumentParser
import JSON
import JSONRPC

/// `switchboard numbers`: the Vapi numbers of a profile, and the Twilio numbers to bring in.
struct NumbersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "numbers",
    abstract: "List, find, import, create, rename, route and release voice numbers; show their call usage.",
    discussion: """
      Each subcommand runs the RPC method of the same service code (see protocol.md): list = listNumbers, \
      twilio = listTwilio, import = importNumbers, create = createNumber, get = getNumber, \
      find = getNumber {number}, usage = getUsage, rename/route = updateNumber, release = deleteNumber (one id) \
      or deleteNumbers (several). --json prints exactly the method's result.
      """,
    subcommands: [
      NumbersListCommand.self, NumbersTwilioCommand.self, NumbersImportCommand.self, NumbersCreateCommand.self,
      NumbersGetCommand.self, NumbersFindCommand.self, NumbersUsageCommand.self, NumbersRenameCommand.self,
      NumbersRouteCommand.self, NumbersReleaseCommand.self,
    ])
}

/// `--profile` and `--json`, shared by the numbers subcommands.
struct OutputOptions: ParsableArguments {
  @Option(help: "Profile (account) whose credentials to use.")
  var profile: String = "default"

  @Flag(help: "Print exactly the RPC result as JSON (errors as the JSON-RPC error object on stderr).")
  var json = false

  var errors: ErrorFormat { json ? .json : .text }

  /// The params object, starting with the profile.
  var params: JSONObject { ["profile": .string(profile)] }
}
