import Foundation
import JSON
import JSONRPC
import Telephony

/// How an outcome is kept under its idempotency key.
enum StoredOutcome {
  enum Disposition { case store, release, keepPending }

  /// Upstream answered (success or a deterministic refusal): store it. Nothing was done (auth,
  /// rate limit, no connection, cancelled before sending): release the key so a retry runs. The
  /// request may have been processed (`WriteOutcomeRule`'s unknown, or cancelled after sending):
  /// keep it pending for reconciliation.
  static func disposition(of error: any Error, sent: Bool) -> Disposition {
    if error is CancellationError { return sent ? .keepPending : .release }
    if let upstream = error as? UpstreamError {
      switch upstream.kind {
      case .rejected, .conflict, .notFound: return .store
      case .outcomeUnknown: return .keepPending
      case .unauthorized, .rateLimited, .unavailable: return .release
      }
    }
    if let domain = error as? DomainError {
      switch domain.kind {
      case .conflict, .notFound, .notVoiceCapable: return .store
      case .upstreamOutcomeUnknown: return .keepPending
      default: return .release
      }
    }
    return .release
  }

  static func success(_ number: Number) throws -> Data {
    Data(JSONWriter.encode(["result": try JSONValueEncoder().encode(number)]))
  }

  static func failure(_ error: RPCError) -> Data {
    Data(JSONWriter.encode(["error": error.json]))
  }

  /// The stored result, or the stored error thrown again.
  static func replay(_ data: Data) throws -> Number {
    let value = try JSONParser.parse(data)
    if let result = value["result"] {
      return try JSONValueDecoder(rejectUnknownKeys: false).decode(Number.self, from: result)
    }
    guard let error = value["error"], case .number(let codeToken)? = error["code"], let code = Int(codeToken) else {
      throw RPCError.internalError
    }
    throw RPCError(code: code, message: error["message"]?.stringValue ?? "", data: error["data"])
  }

  /// A canonical text of the params that define an operation.
  static func fingerprint(_ method: String, _ params: JSONObject) -> String {
    let sorted = JSONObject(params.members.sorted { $0.key < $1.key })
    return method + " " + String(decoding: JSONWriter.encode(.object(sorted)), as: UTF8.self)
  }
}
