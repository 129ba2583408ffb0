/// The one rule for what a reply, or its absence, proves about a write (POST, PATCH, DELETE) — the
/// calls that may spend money. protocol.md ("Upstream behaviour") holds the same table.
///
/// | what came back | verdict |
/// | --- | --- |
/// | a 2xx with a readable body | succeeded |
/// | a 4xx other than 408/429 with a readable (JSON) body | refused: nothing was done |
/// | a 429 | refused (rate limited: not processed) |
/// | a connection refused or a host not found, before any byte was sent | refused |
/// | anything else: a timeout, a reset after sending, a truncated, non-HTTP or unreadable reply, a 408, a 3xx, any 5xx | unknown |
///
/// An unknown outcome is never retried: the service keeps the idempotency key pending and
/// reconciles it against the Vapi list before any new POST under that key.
public enum WriteOutcomeRule {
  /// What a write's reply proves.
  public enum Verdict: Sendable, Equatable {
    case succeeded
    case refused
    case unknown
  }

  /// The verdict for a reply with `status`; `readableBody` tells whether its body could be read
  /// (the expected object for a 2xx, a JSON error object otherwise).
  public static func verdict(status: Int, readableBody: Bool) -> Verdict {
    switch status {
    case 200..<300: return readableBody ? .succeeded : .unknown
    case 429: return .refused
    case 408: return .unknown
    case 400..<500: return readableBody ? .refused : .unknown
    default: return .unknown
    }
  }

  /// The verdict for a failure without a usable reply.
  static func verdict(failure: NetworkFailure) -> Verdict {
    switch failure {
    case .notSent: return .refused
    case .maybeSent: return .unknown
    case .fatal(_, let sent): return sent ? .unknown : .refused
    }
  }
}
