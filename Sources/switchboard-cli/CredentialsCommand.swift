import ArgumentParser
import Foundation
import JSON
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
    abstract: "Set, show, clear, verify or reset the stored credentials of a profile.",
    subcommands: [
      SetCredentialsCommand.self, CredentialStatusCommand.self, ClearCredentialsCommand.self,
      CredentialsVerifyCommand.self, CredentialsResetCommand.self,
    ])
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

      Spaces around `=` are accepted. From a terminal, each field is prompted for (secrets without echo, the Account SID \
      and transfer number echoed), each answer is checked at once and asked again when invalid; Enter keeps the stored \
      value. `--clear FIELD` clears that field without prompting for the others.
      """)

  @OptionGroup var options: ProfileOptions

  @Option(name: .customLong("clear"), help: "Clear this field (repeatable).")
  var clear: [String] = []

  func run() async throws {
    let fields = CLIFields.all
    var params: JSONObject = ["profile": .string(options.profile)]
    for name in clear {
      guard fields.contains(where: { $0.name == name }) else {
        throw ValidationError("--clear: unknown field '\(CredentialLines.shown(name))'; use one of \(CLIFields.names)")
      }
      params[name] = .null
    }
    if isatty(STDIN_FILENO) == 1 {
      // With --clear, clear just that: no prompt for every other field.
      if clear.isEmpty {
        Terminal.writeError("Press Enter to keep a stored value.\n")
        for field in fields {
          if let answer = try Self.ask(field) { params[field.name] = .string(answer) }
        }
      }
    } else {
      let input = FileHandle.standardInput.readDataToEndOfFile()
      for (name, value) in try CredentialLines.parse(input) { params[name] = .string(value) }
    }
    let errors: ErrorFormat = options.json ? .json : .text
    guard params.count > 1 else {
      Terminal.writeError("Nothing changed: no field was given.\n")
      return CLIService.printStatus(
        await CLIService.call("getCredentialStatus", params, errors: errors), json: options.json)
    }
    let status = await CLIService.call(
      "setCredentials", params, errors: errors,
      onCancel: { _ in Terminal.writeError("Check what was stored with: switchboard credentials status\n") })
    CLIService.printStatus(status, json: options.json)
  }

  /// Prompts for one field until its answer is valid (secrets without echo); nil keeps the stored value.
  static func ask(_ field: CLIFields.Field) throws -> String? {
    while true {
      let answer = try Prompt.read("\(field.label): ", echo: !field.secret)
      if answer.isEmpty { return nil }
      guard let problem = CredentialInput.problem(field: field.name, value: answer) else { return answer }
      Terminal.writeError("  \(field.label) \(problem); try again (Enter keeps the stored value).\n")
    }
  }
}

/// `field=value` lines from stdin.
enum CredentialLines {
  /// Parses `field=value` lines (spaces around the field name, `=` and the value are ignored;
  /// blank lines and `#` comments are skipped). Errors name the line, never a value.
  static func parse(_ input: Data) throws -> [(String, String)] {
    var pairs: [(String, String)] = []
    // Split on the byte 0x0A: as a Swift Character, "\r\n" is one grapheme and would not split on "\n".
    for (number, rawBytes) in input.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      let bytes = rawBytes.last == 0x0D ? rawBytes.dropLast() : rawBytes
      let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") { continue }
      guard let equals = line.firstIndex(of: "=") else {
        throw ValidationError("stdin line \(number + 1): expected field=value (fields: \(CLIFields.names))")
      }
      let name = line[..<equals].trimmingCharacters(in: .whitespaces)
      guard CLIFields.all.contains(where: { $0.name == name }) else {
        throw ValidationError("stdin line \(number + 1): unknown field '\(shown(name))'; use one of \(CLIFields.names)")
      }
      pairs.append((name, line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
    }
    return pairs
  }

  /// A field name as given, when it looks like one (letters, at most 40); anything else could be a
  /// pasted secret and is not repeated.
  static func shown(_ name: String) -> String {
    name.count <= 40 && !name.isEmpty && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") })
      ? name : "(not shown)"
  }
}

/// `switchboard credentials status`.
struct CredentialStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show which credentials are set (hints only).")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = await CLIService.call(
      "getCredentialStatus", ["profile": .string(options.profile)], errors: options.json ? .json : .text)
    CLIService.printStatus(status, json: options.json)
  }
}

/// `switchboard credentials clear`.
struct ClearCredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clear", abstract: "Forget every credential of a profile.")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = await CLIService.call(
      "clearCredentials", ["profile": .string(options.profile)], errors: options.json ? .json : .text,
      onCancel: { _ in Terminal.writeError("Check what is stored with: switchboard credentials status\n") })
    CLIService.printStatus(status, json: options.json)
  }
}
