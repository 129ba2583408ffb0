import Foundation
import JSON
import JSONRPC

/// The short text block a person can read beside each tool's `structuredContent`.
enum ToolSummaries {
  /// At most this many items are spelled out in a listing; the structured result has them all.
  static let listedItems = 25

  static func text(tool: String, result: JSONValue) -> String {
    switch tool {
    case "listNumbers":
      return listing(
        result["numbers"]?.arrayValue ?? [], count: result["count"], noun: "number in Vapi", line: numberLine)
    case "listTwilio":
      let numbers = result["numbers"]?.arrayValue ?? []
      let imported = numbers.filter { $0["imported"] == .bool(true) }.count
      let head = "\(numbers.count) Twilio number\(numbers.count == 1 ? "" : "s") (\(imported) already in Vapi)"
      return ([head] + numbers.prefix(listedItems).map(twilioLine) + more(numbers.count)).joined(separator: "\n")
    case "createNumber": return "Created " + numberLine(result)
    case "importNumber": return "Imported " + numberLine(result)
    case "getNumber": return numberLine(result)
    case "updateNumber": return "Updated " + numberLine(result)
    case "deleteNumber": return "Released " + numberLine(result)
    case "importNumbers":
      let results = result["results"]?.arrayValue ?? []
      let head = "Imported \(int(result["imported"])), failed \(int(result["failed"]))"
      let failures = results.filter { $0["ok"] != .bool(true) }.prefix(listedItems).map {
        "- \($0["sid"]?.stringValue ?? "?"): \($0["error"]?["message"]?.stringValue ?? "failed")"
      }
      return ([head] + failures).joined(separator: "\n")
    case "deleteNumbers":
      let results = result["results"]?.arrayValue ?? []
      let head = "Released \(int(result["released"])), failed \(int(result["failed"]))"
      let failures = results.filter { $0["ok"] != .bool(true) }.prefix(listedItems).map {
        "- \($0["id"]?.stringValue ?? "?"): \($0["error"]?["message"]?.stringValue ?? "failed")"
      }
      return ([head] + failures).joined(separator: "\n")
    case "getUsage":
      let usage = result["usage"]?.arrayValue ?? []
      let head =
        "Usage of \(usage.count) number\(usage.count == 1 ? "" : "s") from \(result["since"]?.stringValue ?? "?") to \(result["until"]?.stringValue ?? "?")"
      let lines = usage.prefix(listedItems).map { item in
        "- \(item["id"]?.stringValue ?? "?"): \(int(item["calls"])) calls, \(decimal(item["minutes"])) min, $\(decimal(item["costUsd"]))"
      }
      return ([head] + lines + more(usage.count)).joined(separator: "\n")
    case "verifyCredentials":
      return ["vapi", "twilio"].map { provider in
        let check = result[provider]
        let name = provider == "vapi" ? "Vapi" : "Twilio"
        if check?["configured"] != .bool(true) { return "\(name): not configured" }
        if check?["ok"] == .bool(true) { return "\(name): credentials work" }
        return "\(name): \(check?["error"]?["message"]?.stringValue ?? "check failed")"
      }.joined(separator: "\n")
    case "getCredentialStatus":
      var lines = ["Profile \(result["profile"]?.stringValue ?? "?")"]
      lines.append("Vapi: \(configured(result["vapi"])); Twilio: \(configured(result["twilio"]))")
      for member in result["fields"]?.objectValue ?? [:] {
        var state = member.value["set"] == .bool(true) ? "set" : "not set"
        if member.value["corrupt"] == .bool(true) { state = "damaged, set it again" }
        if let hint = member.value["hint"]?.stringValue { state += " (\(hint))" }
        lines.append("- \(member.key): \(state)")
      }
      return lines.joined(separator: "\n")
    case "listOperations":
      let operations = result["operations"]?.arrayValue ?? []
      let lines = operations.prefix(listedItems).map { op in
        "- \(op["at"]?.stringValue ?? "") \(op["method"]?.stringValue ?? "") \(op["target"]?.stringValue ?? ""): \(op["outcome"]?.stringValue ?? "")"
          + (op["detail"]?.stringValue.map { " (\($0))" } ?? "")
      }
      return (["\(operations.count) operation\(operations.count == 1 ? "" : "s")"] + lines + more(operations.count))
        .joined(separator: "\n")
    case "listProfiles":
      let profiles = result["profiles"]?.arrayValue ?? []
      let lines = profiles.map { profile in
        let fields = (profile["fieldsSet"]?.arrayValue ?? []).compactMap(\.stringValue)
        return
          "- \(profile["name"]?.stringValue ?? "?"): \(fields.isEmpty ? "nothing set" : fields.joined(separator: ", "))"
      }
      return (["\(profiles.count) profile\(profiles.count == 1 ? "" : "s")"] + lines).joined(separator: "\n")
    default:
      return "Done."
    }
  }

  static func numberLine(_ number: JSONValue) -> String {
    var text = number["number"]?.stringValue ?? number["sipUri"]?.stringValue ?? "(no number yet)"
    if let name = number["name"]?.stringValue { text += " \u{201C}\(name)\u{201D}" }
    text += " [\(number["provider"]?.stringValue ?? "?")"
    if let status = number["status"]?.stringValue { text += ", \(status)" }
    text += "] id \(number["id"]?.stringValue ?? "?")"
    if let fallback = number["fallbackDestination"]?["number"]?.stringValue { text += ", fallback \(fallback)" }
    return text
  }

  private static func twilioLine(_ number: JSONValue) -> String {
    var text =
      "- \(number["phoneNumber"]?.stringValue ?? "?") \u{201C}\(number["friendlyName"]?.stringValue ?? "")\u{201D} \(number["sid"]?.stringValue ?? "")"
    if number["imported"] == .bool(true) { text += " (in Vapi)" }
    return text
  }

  private static func listing(_ items: [JSONValue], count: JSONValue?, noun: String, line: (JSONValue) -> String)
    -> String
  {
    let total = count.map(int) ?? items.count
    let head = "\(total) \(total == 1 ? noun : noun.replacingFirst("number", with: "numbers"))"
    return ([head] + items.prefix(listedItems).map { "- " + line($0) } + more(items.count)).joined(separator: "\n")
  }

  private static func more(_ count: Int) -> [String] {
    count > listedItems ? ["… and \(count - listedItems) more (all of them are in the structured result)"] : []
  }

  private static func configured(_ provider: JSONValue?) -> String {
    provider?["configured"] == .bool(true) ? "configured" : "not configured"
  }

  private static func decimal(_ value: JSONValue?) -> String {
    if case .number(let token)? = value { return token }
    return "0"
  }

  private static func int(_ value: JSONValue?) -> Int {
    if case .number(let token)? = value { return Int(token) ?? 0 }
    return 0
  }
}

extension String {
  fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
    guard let range = range(of: target) else { return self }
    return replacingCharacters(in: range, with: replacement)
  }
}
