import Dispatch
import Foundation
import JSON
import JSONRPC
import Logging
import Switchboard

#if canImport(Glibc)
import Glibc
#endif

/// The four credential fields as the command line presents them.
enum CLIFields {
  struct Field {
    let name: String
    let label: String
    let secret: Bool
  }
  static let all = [
    Field(name: "vapiPrivateKey", label: "Vapi private API key", secret: true),
    Field(name: "twilioAccountSid", label: "Twilio Account SID", secret: false),
    Field(name: "twilioAuthToken", label: "Twilio Auth Token", secret: true),
    Field(name: "transferPhoneNumber", label: "Transfer (fallback) number, E.164", secret: false),
  ]
  static var names: String { all.map(\.name).joined(separator: ", ") }
}

/// How a failed call is shown on stderr.
enum ErrorFormat {
  /// The JSON-RPC error object `{code, message, data?}` on one line (`call`, `--json`).
  case json
  /// One readable line: `switchboard: message`.
  case text
}

/// Runs methods in-process through the same router (and validation) as the stdio server.
///
/// A failed call is reported on stderr and ends the process with the status of its error class
/// (``ExitStatus``); Ctrl-C cancels the call (as `$/cancelRequest` would) and exits 130 after
/// `onCancel` has said what was done.
enum CLIService {
  /// Calls `method`, returning its result. On failure, prints the error and exits.
  static func call(
    _ method: String, _ params: JSONObject, errors: ErrorFormat = .text,
    progress: ProgressDisplay? = nil,
    onCancel: ((RPCError?) -> Void)? = nil
  ) async -> JSONValue {
    switch await attempt(method, .object(params), progress: progress) {
    case .success(let value):
      return value
    case .failure(let failure):
      progress?.finish()
      if failure.cancelled {
        Terminal.writeError(Style.bold("Cancelled.", Terminal.stderrStyled) + "\n")
        if let onCancel {
          onCancel(failure.error)
        } else {
          Terminal.writeError("Nothing was changed by this command.\n")
        }
        exitNow(ExitStatus.cancelled)
      }
      report(failure.error, format: errors)
      exitNow(ExitStatus.forError(failure.error))
    }
  }

  /// Ctrl-C during a write: it may have reached Vapi, so say how to find out (never "nothing changed").
  static func writeCancelled(_ advice: String) -> (RPCError?) -> Void {
    { _ in Terminal.writeError("The request may already have reached Vapi: \(advice)\n") }
  }

  struct Failure: Error {
    let error: RPCError
    let cancelled: Bool
  }

  /// Calls `method` with Ctrl-C wired to cancellation; never exits.
  static func attempt(_ method: String, _ params: JSONValue, progress: ProgressDisplay? = nil) async -> Result<
    JSONValue, Failure
  > {
    let environment = ProcessInfo.processInfo.environment
    bootstrapLogging(environment)
    let service = SwitchboardService(
      configuration: EnvironmentConfiguration.service(environment), logger: Logger(label: "switchboard"))
    defer { service.close() }
    let router = MethodTable.router(for: service)
    var sink: (@Sendable (InProcessProgress) -> Void)? = nil
    if let progress {
      sink = { @Sendable event in progress.handle(event) }
    }
    let task = Task { try await router.call(method, params: params, onProgress: sink) }
    let interrupt = Interrupt { task.cancel() }
    defer { interrupt.disarm() }
    do {
      let value = try await task.value
      progress?.finish()
      return .success(value)
    } catch {
      let rpc =
        (error as? any RPCErrorConvertible)?.rpcError
        ?? (error is CancellationError ? RPCError.requestCancelled : RPCError.internalError)
      return .failure(Failure(error: rpc, cancelled: interrupt.fired || rpc.code == RPCError.requestCancelledCode))
    }
  }

  /// Prints a failed call on stderr.
  static func report(_ error: RPCError, format: ErrorFormat) {
    switch format {
    case .json:
      Terminal.writeError(String(decoding: JSONWriter.encode(error.json), as: UTF8.self) + "\n")
    case .text:
      Terminal.writeError("switchboard: \(readableMessage(error))\n")
      if let hint = hint(for: error) { Terminal.writeError("  \(hint)\n") }
    }
  }

  /// The message, with an invalid param named the way the command line spells it.
  static func readableMessage(_ error: RPCError) -> String {
    if error.code == RPCError.invalidParamsCode, let field = error.data?["field"]?.stringValue,
      let reason = error.data?["reason"]?.stringValue, !error.message.hasPrefix("Valid")
    {
      return "\(field.isEmpty ? "input" : String(field.dropFirst())) \(reason)"
    }
    return error.message
  }

  /// A next step for the error classes a newcomer meets first.
  static func hint(for error: RPCError) -> String? {
    switch error.data?["kind"]?.stringValue {
    case "credentials.missing": "Store them with: switchboard credentials set"
    case "vault.locked" where error.data?["reason"]?.stringValue == "keyFileMissing":
      "If master.key is lost for good: switchboard credentials reset (drops the stored secrets, keeps profiles and history)."
    case "vault.corrupt": "Set them again with: switchboard credentials set"
    default: nil
    }
  }

  /// CLI logging: only what the command itself does not already report, unless asked.
  static func bootstrapLogging(_ environment: [String: String]) {
    let level: Logger.Level =
      environment["SWITCHBOARD_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .critical
    LoggingState.once { LogSetup.bootstrap(level: level) }
  }

  /// Flushes the log and ends the process.
  static func exitNow(_ status: Int32) -> Never {
    LogSetup.flush()
    Foundation.exit(status)
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
