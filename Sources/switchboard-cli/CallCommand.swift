import ArgumentParser
import Foundation
import JSON
import JSONRPC

/// `switchboard call METHOD [PARAMS_JSON | -]`: one JSON-RPC request, in-process, for scripts.
struct CallCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "call",
    abstract: "Call one JSON-RPC method and print its result as JSON.",
    discussion: """
      Runs the method in this process, through the same router and validation as `switchboard serve`. \
      The result is printed on stdout as one line of JSON; an error is printed on stderr as the JSON-RPC \
      error object ({"code","message","data"}) and the exit status tells its class (see `switchboard --help`). \
      Methods and params: protocol.md, or `rpc.discover` over `switchboard serve`:

        echo '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}' | switchboard

        switchboard call listNumbers '{"profile":"work"}'
        echo '{"areaCode":"415","idempotencyKey":"k1"}' | switchboard call createNumber -
      """)

  @Argument(help: "Method name, e.g. listNumbers.")
  var method: String

  @Argument(help: "Params as a JSON object, or - to read them from stdin. Default: {}.")
  var params: String?

  func run() async throws {
    let value: JSONValue
    do {
      value = try readParams()
    } catch {
      CLIService.report(.parseError(reason: "\(error)"), format: .json)
      CLIService.exitNow(ExitStatus.invalidParams)
    }
    if params != "-", method == "setCredentials", case .object(let object) = value,
      object.keys.contains(where: {
        ["vapiPrivateKey", "twilioAccountSid", "twilioAuthToken"].contains($0) && object[$0] != .null
      })
    {
      // argv is readable by every local user (ps, /proc): secrets go through stdin only.
      CLIService.report(
        .invalidParams(
          field: "",
          reason: "must come on stdin (`-`) when it holds a secret: the command line is visible to other users in ps"),
        format: .json)
      CLIService.exitNow(ExitStatus.usage)
    }
    switch await CLIService.attempt(method, value) {
    case .success(let result):
      NumberFormatting.printJSON(result)
    case .failure(let failure):
      CLIService.report(failure.error, format: .json)
      CLIService.exitNow(ExitStatus.forError(failure.error))
    }
  }

  private func readParams() throws -> JSONValue {
    guard let params else { return .object([:]) }
    let bytes = params == "-" ? Array(FileHandle.standardInput.readDataToEndOfFile()) : Array(params.utf8)
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .object([:]) }
    return try JSONParser.parse(bytes)
  }
}
