import JSON
import JSONRPC

/// An error of the service's own domain: a stable `kind` that clients switch on, its code in the
/// documented block (1001–1099, outside JSON-RPC's reserved range), one human sentence, and `data`.
public struct DomainError: Error, RPCErrorConvertible, Sendable, Equatable {
  /// The catalogue: one kind per condition, one code per kind.
  public enum Kind: String, Sendable, CaseIterable {
    case credentialsMissing = "credentials.missing"
    case upstreamUnauthorized = "upstream.unauthorized"
    case upstreamError = "upstream.error"
    case upstreamUnavailable = "upstream.unavailable"
    case upstreamRateLimited = "upstream.rateLimited"
    case upstreamOutcomeUnknown = "upstream.outcomeUnknown"
    case notFound = "notFound"
    case conflict = "conflict"
    case vaultLocked = "vault.locked"
    case vaultCorrupt = "vault.corrupt"
    case vaultUnavailable = "vault.unavailable"
    case vaultUnsafe = "vault.unsafe"
    case notVoiceCapable = "notVoiceCapable"
    case usageRefused = "usage.refused"
    case usageTooDense = "usage.tooDense"

    public var code: Int {
      switch self {
      case .credentialsMissing: 1001
      case .upstreamUnauthorized: 1002
      case .upstreamError: 1003
      case .upstreamUnavailable: 1004
      case .upstreamRateLimited: 1005
      case .upstreamOutcomeUnknown: 1006
      case .notFound: 1007
      case .conflict: 1008
      case .vaultLocked: 1009
      case .vaultCorrupt: 1010
      case .vaultUnavailable: 1011
      case .vaultUnsafe: 1012
      case .notVoiceCapable: 1013
      case .usageRefused: 1014
      case .usageTooDense: 1015
      }
    }

    /// A representative message and `data` for OpenRPC `errors`.
    var example: (message: String, data: JSONObject) {
      switch self {
      case .credentialsMissing:
        (CredentialsMissing.twilioMessage, ["provider": "twilio", "missing": ["twilioAccountSid", "twilioAuthToken"]])
      case .upstreamUnauthorized:
        ("Vapi rejected the credentials (401).", ["provider": "vapi", "status": 401])
      case .upstreamError:
        (
          "Vapi API error: 400 - property areaCode should not exist",
          [
            "provider": "vapi", "status": 400, "upstreamCode": "Bad Request",
            "upstreamMessage": "property areaCode should not exist",
          ]
        )
      case .upstreamUnavailable:
        ("Twilio could not be reached (timed out).", ["provider": "twilio", "reason": "timed out"])
      case .upstreamRateLimited:
        ("Vapi is rate limiting requests; retry in 2000 ms.", ["provider": "vapi", "retryAfterMs": 2000])
      case .upstreamOutcomeUnknown:
        (
          "The request may have reached Vapi but its reply was lost; check listNumbers before retrying, or retry with the same idempotencyKey.",
          ["provider": "vapi", "reason": "connection reset"]
        )
      case .notFound: ("Vapi has no phone number with this id.", ["provider": "vapi", "resource": "phoneNumber"])
      case .conflict:
        ("This Twilio number is already imported into Vapi.", ["resource": "phoneNumber", "vapiId": "2f1c…"])
      case .vaultLocked: ("The credential store is locked: the master key is wrong.", ["reason": "wrongKey"])
      case .vaultCorrupt:
        (
          "Stored credentials are damaged (vapiPrivateKey); set them again.",
          ["profile": "default", "fields": ["vapiPrivateKey"]]
        )
      case .vaultUnavailable: ("The credential store could not be read or written.", ["reason": "SQLite error 13"])
      case .vaultUnsafe:
        (
          "The credential store is not safe to open: ~/.local/share/switchboard is writable by other users; run chmod 700 on it.",
          ["reason": "writableByOthers", "path": "~/.local/share/switchboard"]
        )
      case .notVoiceCapable:
        (
          "+14155550100 cannot take voice calls (Twilio capabilities: sms, mms); only voice numbers can be imported.",
          [
            "provider": "twilio", "resource": "twilioNumber", "phoneNumber": "+14155550100",
            "capabilities": ["voice": false, "sms": true, "mms": true, "fax": false],
          ]
        )
      case .usageRefused:
        (
          "Vapi refused to list the calls of a number: 400 - property phoneNumberId should not exist",
          [
            "provider": "vapi", "status": 400, "upstreamMessage": "property phoneNumberId should not exist",
            "numberId": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10",
          ]
        )
      case .usageTooDense:
        (
          "More than 1000 calls of one number share one millisecond: Vapi's call list cannot be walked past them.",
          [
            "provider": "vapi", "numberId": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "at": "2026-11-25T09:00:00.000Z",
          ]
        )
      }
    }

    /// The OpenRPC error object for this kind.
    public var descriptor: ErrorDescriptor {
      var data = example.data
      data["kind"] = .string(rawValue)
      return ErrorDescriptor(code: code, message: example.message, data: .object(data))
    }
  }

  public var kind: Kind
  public var message: String
  public var data: JSONObject

  public init(_ kind: Kind, _ message: String, data: JSONObject = [:]) {
    self.kind = kind
    self.message = message
    self.data = data
  }

  public var rpcError: RPCError {
    var data: JSONObject = ["kind": .string(kind.rawValue)]
    for member in self.data { data[member.key] = member.value }
    return RPCError(code: kind.code, message: message, data: .object(data))
  }
}

/// Error lists shared by method definitions.
enum Errors {
  static func descriptors(_ kinds: DomainError.Kind...) -> [ErrorDescriptor] { kinds.map(\.descriptor) }
}
