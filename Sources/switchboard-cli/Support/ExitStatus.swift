import JSONRPC

/// The command line's exit statuses: one per error class, chosen by the error's `data.kind`
/// (protocol.md, "Domain errors") or its JSON-RPC code. sysexits.h values where one fits.
enum ExitStatus {
  struct Row {
    let status: Int32
    let errorClass: String
    let matches: String
  }

  static let success: Int32 = 0
  static let internalError: Int32 = 70
  static let usage: Int32 = 64
  static let invalidParams: Int32 = 65
  static let notFound: Int32 = 66
  static let upstreamUnavailable: Int32 = 69
  static let vaultUnavailable: Int32 = 74
  static let rateLimited: Int32 = 75
  static let upstreamError: Int32 = 76
  static let unauthorized: Int32 = 77
  static let credentialsMissing: Int32 = 78
  static let conflict: Int32 = 79
  static let outcomeUnknown: Int32 = 80
  static let vaultLocked: Int32 = 81
  static let vaultCorrupt: Int32 = 82
  static let vaultUnsafe: Int32 = 83
  static let usageRefused: Int32 = 84
  static let usageTooDense: Int32 = 85
  static let cancelled: Int32 = 130

  /// The table printed by `--help` and copied into README.
  static let table: [Row] = [
    Row(status: success, errorClass: "success", matches: ""),
    Row(status: usage, errorClass: "usage: unknown command, option or method", matches: "-32601"),
    Row(status: invalidParams, errorClass: "invalid params, bad JSON, wrong confirmation", matches: "-32602, -32700"),
    Row(status: notFound, errorClass: "not found", matches: "notFound"),
    Row(status: upstreamUnavailable, errorClass: "upstream unavailable", matches: "upstream.unavailable"),
    Row(status: internalError, errorClass: "internal error", matches: "-32603"),
    Row(status: vaultUnavailable, errorClass: "store unreadable or unwritable", matches: "vault.unavailable"),
    Row(status: rateLimited, errorClass: "rate limited", matches: "upstream.rateLimited"),
    Row(status: upstreamError, errorClass: "upstream error", matches: "upstream.error"),
    Row(status: unauthorized, errorClass: "unauthorized", matches: "upstream.unauthorized"),
    Row(status: credentialsMissing, errorClass: "credentials missing", matches: "credentials.missing"),
    Row(status: conflict, errorClass: "conflict", matches: "conflict"),
    Row(status: outcomeUnknown, errorClass: "outcome unknown", matches: "upstream.outcomeUnknown"),
    Row(status: vaultLocked, errorClass: "store locked", matches: "vault.locked"),
    Row(status: vaultCorrupt, errorClass: "stored credentials damaged", matches: "vault.corrupt"),
    Row(
      status: vaultUnsafe, errorClass: "store unsafe (home folder owned or writable by others)", matches: "vault.unsafe"
    ),
    Row(status: usageRefused, errorClass: "Vapi refused to list a number's calls", matches: "usage.refused"),
    Row(
      status: usageTooDense, errorClass: "too many calls in one millisecond to count", matches: "usage.tooDense"),
    Row(status: cancelled, errorClass: "cancelled (Ctrl-C)", matches: "-32800"),
  ]

  /// The status for an error object `{code, message, data?}`.
  static func forError(code: Int, kind: String?) -> Int32 {
    if let kind {
      switch kind {
      case "credentials.missing": return credentialsMissing
      case "upstream.unauthorized": return unauthorized
      case "upstream.error": return upstreamError
      case "upstream.unavailable": return upstreamUnavailable
      case "upstream.rateLimited": return rateLimited
      case "upstream.outcomeUnknown": return outcomeUnknown
      case "notFound": return notFound
      case "conflict": return conflict
      case "vault.locked": return vaultLocked
      case "vault.corrupt": return vaultCorrupt
      case "vault.unavailable": return vaultUnavailable
      case "usage.refused": return usageRefused
      case "usage.tooDense": return usageTooDense
      case let other where other.hasPrefix("vault.") && other.lowercased().contains("unsafe"): return vaultUnsafe
      default: break
      }
    }
    switch code {
    case RPCError.invalidParamsCode, RPCError.parseErrorCode: return invalidParams
    case RPCError.methodNotFoundCode, RPCError.invalidRequestCode: return usage
    case RPCError.requestCancelledCode, RPCError.serverCancelledCode: return cancelled
    default: return internalError
    }
  }

  static func forError(_ error: RPCError) -> Int32 {
    forError(code: error.code, kind: error.data?["kind"]?.stringValue)
  }

  /// The table as `--help` text.
  static var helpText: String {
    table.map { row in
      let status = String(row.status).padding(toLength: 4, withPad: " ", startingAt: 0)
      let what = row.matches.isEmpty ? row.errorClass : "\(row.errorClass) (\(row.matches))"
      return "  \(status)\(what)"
    }.joined(separator: "\n")
  }
}
