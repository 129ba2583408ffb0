import Foundation
import JSONRPC
import Logging
import Switchboard

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
      throw CLIError(message: message, exitCode: exitCode(for: rpc))
    }
  }

  /// sysexits-style statuses: 65 bad input, 77 an unsafe home folder (another user could change the
  /// store: `vault.unsafe`), 69 anything else the service refused.
  static func exitCode(for rpc: RPCError) -> Int32 {
    if rpc.code == RPCError.invalidParamsCode { return 65 }
    if rpc.data?["kind"]?.stringValue == "vault.unsafe" { return 77 }
    return 69
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
