import ArgumentParser
import Foundation
import JSONRPC
import Logging
import Switchboard

#if canImport(Glibc)
  import Glibc
#endif

/// `switchboard credentials`: enter, check and clear credentials from a terminal or a script.
///
/// Secrets are read from stdin (`field=value` lines) or a no-echo prompt, never from argv
/// (argv is visible in `ps`), and never printed: output shows hints only.
struct CredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "credentials",
    abstract: "Set, show or clear the stored credentials of a profile.",
    subcommands: [SetCredentialsCommand.self, CredentialStatusCommand.self, ClearCredentialsCommand.self])
}

/// `--profile` and `--json`, shared by the credentials subcommands.
struct ProfileOptions: ParsableArguments {
  @Option(help: "Profile (account) to use.")
  var profile: String = "default"

  @Flag(help: "Print the status as JSON (the getCredentialStatus result).")
  var json = false
}

/// `switchboard credentials set`.
struct SetCredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Store credentials read from stdin or prompted for without echo.",
    discussion: """
      From a script, pipe `field=value` lines (fields: vapiPrivateKey, twilioAccountSid, twilioAuthToken, \
      transferPhoneNumber; blank lines and lines starting with # are ignored):

        printf 'vapiPrivateKey=%s\\n' "$VAPI_KEY" | switchboard credentials set --profile work

      From a terminal, each field is prompted for (secrets without echo); an empty answer keeps the stored value.
      """)

  @OptionGroup var options: ProfileOptions

  @Option(name: .customLong("clear"), help: "Clear this field (repeatable).")
  var clear: [String] = []

  func run() async throws {
    let fields = CLIFields.all
    var params: JSONObject = ["profile": .string(options.profile)]
    for name in clear {
      guard fields.contains(where: { $0.name == name }) else {
        throw ValidationError("--clear: unknown field; use one of \(fields.map(\.name).joined(separator: ", "))")
      }
      params[name] = .null
    }
    if isatty(STDIN_FILENO) == 1 {
      for field in fields where params[field.name] == nil {
        let answer = try Prompt.read("\(field.label): ", echo: !field.secret)
        if !answer.isEmpty { params[field.name] = .string(answer) }
      }
    } else {
      let input = FileHandle.standardInput.readDataToEndOfFile()
      // Split on the byte 0x0A: as a Swift Character, "\r\n" is one grapheme and would not split on "\n".
      for (number, rawBytes) in input.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
        let bytes = rawBytes.last == 0x0D ? rawBytes.dropLast() : rawBytes
        let line = Substring(String(decoding: bytes, as: UTF8.self))
        if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
        guard let equals = line.firstIndex(of: "="),
          let field = fields.first(where: { $0.name == line[..<equals].trimmingCharacters(in: .whitespaces) })
        else {
          throw ValidationError("stdin line \(number + 1): expected field=value with a known field")
        }
        params[field.name] = .string(String(line[line.index(after: equals)...]))
      }
    }
    let status = try await CLIService.call("setCredentials", params)
    CLIService.printStatus(status, json: options.json)
  }
}

/// `switchboard credentials status`.
struct CredentialStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "status", abstract: "Show which credentials are set (hints only).")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = try await CLIService.call("getCredentialStatus", ["profile": .string(options.profile)])
    CLIService.printStatus(status, json: options.json)
  }
}

/// `switchboard credentials clear`.
struct ClearCredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "clear", abstract: "Forget every credential of a profile.")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = try await CLIService.call("clearCredentials", ["profile": .string(options.profile)])
    CLIService.printStatus(status, json: options.json)
  }
}
