import JSON
import JSONRPC

/// The per-item results of a bulk call (`importNumbers`, `deleteNumbers`): the items streamed as
/// partial results put back, printed, and the exit status of the first failure.
enum BulkResults {
  /// `result` with the items a progress display collected (partial results) as its `results`.
  static func merged(_ result: JSONValue, progress: ProgressDisplay?) -> JSONValue {
    guard let progress, case .object(var object) = result else { return result }
    object["results"] = .array(progress.collected)
    return .object(object)
  }

  /// Prints `result` (as is with `--json`, else `table` and "N <done>, M failed." on stderr) and
  /// exits with the status of the first item that failed, if one did.
  static func report(_ result: JSONValue, json: Bool, done: String, table: ([JSONValue]) -> Void) {
    let results = result["results"]?.arrayValue ?? []
    if json {
      NumberFormatting.printJSON(result)
    } else {
      table(results)
      let succeeded = results.filter { $0["ok"] == .bool(true) }.count
      Terminal.writeError("\(succeeded) \(done), \(results.count - succeeded) failed.\n")
    }
    if let failure = results.first(where: { $0["ok"] != .bool(true) })?["error"] {
      let code =
        failure["code"].flatMap { if case .number(let t) = $0 { Int(t) } else { nil } } ?? RPCError.internalErrorCode
      CLIService.exitNow(ExitStatus.forError(code: code, kind: failure["data"]?["kind"]?.stringValue))
    }
  }
}
