import Foundation
import JSON
import JSONRPC

/// How numbers, dates and results look in tables.
enum NumberFormatting {
  nonisolated(unsafe) private static let parser: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }()
  nonisolated(unsafe) private static let parserWithoutFraction = ISO8601DateFormatter()
  private static let local: DateFormatter = {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone.current
    formatter.dateFormat = "yyyy-MM-dd HH:mm"
    return formatter
  }()

  /// An ISO 8601 UTC timestamp as local time (`TZ`), e.g. `2025-06-01 14:00`.
  static func localTime(_ iso: String?) -> String {
    guard let iso, let date = parser.date(from: iso) ?? parserWithoutFraction.date(from: iso) else { return iso ?? "" }
    return local.string(from: date)
  }

  /// The seed's badge: "Voice Only" unless SMS is on.
  static func badge(_ number: JSONValue) -> String {
    number["voiceOnly"] == .bool(false) ? "Voice + SMS" : "Voice Only"
  }

  static func provider(_ number: JSONValue) -> String {
    switch number["provider"]?.stringValue {
    case "twilio": "Twilio"
    case "vapi": "Vapi"
    case let other?: other
    case nil: ""
    }
  }

  static func fallback(_ number: JSONValue) -> String {
    guard let destination = number["fallbackDestination"] else { return "" }
    return destination["number"]?.stringValue ?? destination["sipUri"]?.stringValue ?? ""
  }

  static func badgeStyle(_ text: String) -> String {
    text.replacingOccurrences(of: "Voice Only", with: "\u{1B}[32mVoice Only\u{1B}[0m")
  }

  /// The table of Vapi numbers (`numbers list`, `get`, `create`, …).
  static func numbersTable(_ numbers: [JSONValue]) -> Table {
    var table = Table(columns: [
      .init(header: "NUMBER"),
      .init(header: "NAME", shrinkable: true, minWidth: 8),
      .init(header: "CAPABILITY", dropPriority: 2),
      .init(header: "PROVIDER", dropPriority: 3),
      .init(header: "STATUS", dropPriority: 4),
      .init(header: "FALLBACK", dropPriority: 5),
      .init(header: "CREATED", dropPriority: 1),
      .init(header: "ID", dropPriority: 6),
    ])
    for number in numbers {
      table.rows.append([
        .init(number["number"]?.stringValue ?? number["sipUri"]?.stringValue ?? ""),
        .init(number["name"]?.stringValue ?? ""),
        .init(badge(number), style: badgeStyle),
        .init(provider(number)),
        .init(number["status"]?.stringValue ?? ""),
        .init(fallback(number)),
        .init(localTime(number["createdAt"]?.stringValue)),
        .init(number["id"]?.stringValue ?? ""),
      ])
    }
    return table
  }

  /// One number as the RPC result (`--json`) or as a one-row table.
  static func printNumber(_ number: JSONValue, json: Bool) {
    if json { return printJSON(number) }
    printTable(numbersTable([number]))
  }

  /// Prints `value` as one line of JSON on stdout.
  static func printJSON(_ value: JSONValue) {
    Terminal.writeOutput(String(decoding: JSONWriter.encode(value), as: UTF8.self) + "\n")
  }

  /// Prints a table on stdout, fitted and styled for where stdout goes.
  static func printTable(_ table: Table) {
    Terminal.writeOutput(table.render(width: Terminal.stdoutWidth, styled: Terminal.stdoutStyled) + "\n")
  }
}
