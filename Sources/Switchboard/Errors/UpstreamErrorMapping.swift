import JSON
import JSONRPC
import Telephony

extension UpstreamError: RPCErrorConvertible {
  /// The one mapping from upstream outcomes to domain errors (design §4).
  public var rpcError: RPCError { domainError.rpcError }

  var providerName: String { provider == .vapi ? "Vapi" : "Twilio" }

  var domainError: DomainError {
    var data: JSONObject = ["provider": .string(provider.rawValue)]
    if let status { data["status"] = .int(status) }
    if let upstreamCode { data["upstreamCode"] = .string(upstreamCode) }
    if let upstreamMessage { data["upstreamMessage"] = .string(upstreamMessage) }
    switch kind {
    case .unauthorized:
      return DomainError(
        .upstreamUnauthorized, "\(providerName) rejected the stored credentials (\(status.map(String.init) ?? "401")).",
        data: data)
    case .notFound:
      data["resource"] = "phoneNumber"
      return DomainError(.notFound, "\(providerName) has no such phone number.", data: data)
    case .conflict:
      data["resource"] = "phoneNumber"
      return DomainError(.conflict, summary, data: data)
    case .rateLimited(let retryAfterMs):
      if let retryAfterMs { data["retryAfterMs"] = .int(retryAfterMs) }
      let when = retryAfterMs.map { "; retry in \($0) ms" } ?? "; retry later"
      return DomainError(.upstreamRateLimited, "\(providerName) is rate limiting requests\(when).", data: data)
    case .unavailable:
      if let reason { data["reason"] = .string(reason) }
      return DomainError(
        .upstreamUnavailable, "\(providerName) could not be reached (\(reason ?? "no usable reply")).", data: data)
    case .outcomeUnknown:
      if let reason { data["reason"] = .string(reason) }
      let advice = "retry with the same idempotencyKey (it is reconciled, never bought twice) or check listNumbers."
      if status != nil {
        // A reply came but proves nothing (a 5xx, an unreadable body): keep its text, seed-style.
        return DomainError(.upstreamOutcomeUnknown, "\(summary); \(advice)", data: data)
      }
      return DomainError(
        .upstreamOutcomeUnknown,
        "The request may have reached \(providerName) but its reply was lost (\(reason ?? "no reply")); \(advice)",
        data: data)
    case .rejected:
      return DomainError(.upstreamError, summary, data: data)
    }
  }
}
