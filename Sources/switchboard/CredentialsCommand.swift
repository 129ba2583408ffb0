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

struct ProfileOptions: ParsableArguments {
  @Option(help: "Profile (account) to use.")
  var profile: String = "default"

  @Flag(help: "Print the status as JSON (the getCredentialStatus result).")
  var json = false
}

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

struct CredentialStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "status", abstract: "Show which credentials are set (hints only).")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = try await CLIService.call("getCredentialStatus", ["profile": .string(options.profile)])
    CLIService.printStatus(status, json: options.json)
  }
}

struct ClearCredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "clear", abstract: "Forget every credential of a profile.")
  @OptionGroup var options: ProfileOptions

  func run() async throws {
    let status = try await CLIService.call("clearCredentials", ["profile": .string(options.profile)])
    CLIService.printStatus(status, json: options.json)
  }
}

/// The four credential fields as the command line presents them.
enum CLIFields {
  struct Field {
    let name: String
    let label: String
    let secret: Bool
  }
  static let all = [
    Field(name: "vapiPrivateKey", label: "Vapi private API key", secret: true),
    Field(name: "twilioAccountSid", label: "Twilio Account SID", secret: true),
    Field(name: "twilioAuthToken", label: "Twilio Auth Token", secret: true),
    Field(name: "transferPhoneNumber", label: "Transfer (fallback) number, E.164", secret: false),
  ]
}

/// Runs methods in-process through the same router (and validation) as the stdio server.
enum CLIService {
  static func call(_ method: String, _ params: JSONObject) async throws -> JSONValue {
    let environment = ProcessInfo.processInfo.environment
    LogSetup.bootstrap(level: LogSetup.level(flag: nil, environment: environment))
    let service = SwitchboardService(environment: environment, logger: Logger(label: "switchboard"))
    defer { service.close() }
    do {
      return try await MethodTable.router(for: service).call(method, params: .object(params))
    } catch let error as any RPCErrorConvertible {
      let rpc = error.rpcError
      var message = rpc.message
      if rpc.code == RPCError.invalidParamsCode, let field = rpc.data?["field"]?.stringValue,
        let reason = rpc.data?["reason"]?.stringValue
      {
        message = "\(field.isEmpty ? "input" : String(field.dropFirst())) \(reason)"
      }
      throw CLIError(message: message, exitCode: rpc.code == RPCError.invalidParamsCode ? 65 : 69)
    }
  }

  static func printStatus(_ status: JSONValue, json: Bool) {
    if json {
      print(String(decoding: JSONWriter.encode(status), as: UTF8.self))
      return
    }
    print("Profile: \(status["profile"]?.stringValue ?? "?")")
    for field in CLIFields.all {
      let state = status["fields"]?[field.name]
      var text = state?["set"] == .bool(true) ? "set" : "not set"
      if state?["corrupt"] == .bool(true) { text = "DAMAGED, set it again" }
      if let hint = state?["hint"]?.stringValue { text += " (\(hint))" }
      print("  \(field.label.padding(toLength: 36, withPad: " ", startingAt: 0)) \(text)")
    }
    let vapi = status["vapi"]?["configured"] == .bool(true) ? "configured" : "not configured"
    let twilio = status["twilio"]?["configured"] == .bool(true) ? "configured" : "not configured"
    print("Vapi: \(vapi); Twilio: \(twilio)")
  }
}

/// A failure shown as one line on stderr, with a sysexits-style status.
struct CLIError: Error, CustomStringConvertible {
  let message: String
  let exitCode: Int32
  var description: String { message }
}

/// Reads a line from the terminal, optionally without echo.
enum Prompt {
  static func read(_ prompt: String, echo: Bool) throws -> String {
    FileHandle.standardError.write(Data(prompt.utf8))
    var saved = termios()
    let restore = !echo && tcgetattr(STDIN_FILENO, &saved) == 0
    if restore {
      var quiet = saved
      quiet.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
    }
    defer {
      if restore {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        FileHandle.standardError.write(Data("\n".utf8))
      }
    }
    return (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
  }
}
