import JSON
import JSONRPC
import Vault

extension VaultError: RPCErrorConvertible {
  /// `vault.locked`, `vault.corrupt`, `vault.unavailable` or `vault.unsafe`; never a secret (only
  /// `vault.unsafe` names a path: the user's own, which the fix needs).
  public var rpcError: RPCError { domainError.rpcError }

  var domainError: DomainError {
    switch self {
    case .locked(let reason):
      let why =
        switch reason {
        case .malformedKey: "SWITCHBOARD_MASTER_KEY (or master.key) is not base64 of 32 bytes"
        case .wrongKey: "the master key does not open this store"
        case .keyFileMissing: "master.key is missing but the store holds sealed credentials"
        case .keyFileUnreadable: "master.key cannot be read"
        }
      return DomainError(
        .vaultLocked, "The credential store is locked: \(why).", data: ["reason": .string(reason.rawValue)])
    case .corrupt(let profile, let fields):
      let names = fields.map(\.rawValue)
      return DomainError(
        .vaultCorrupt, "Stored credentials are damaged (\(names.joined(separator: ", "))); set them again.",
        data: ["profile": .string(profile), "fields": .array(names.map { .string($0) })])
    case .io(let reason):
      // The full reason (with paths) goes to the log; clients get it with paths masked.
      let masked = reason.split(separator: " ", omittingEmptySubsequences: false)
        .map { $0.hasPrefix("/") || $0.hasPrefix("~") ? "<path>" : String($0) }.joined(separator: " ")
      return DomainError(
        .vaultUnavailable, "The credential store could not be read or written.", data: ["reason": .string(masked)])
    case .unsafe(let path, let reason):
      // The path is the user's own and the fix needs it; it is no secret.
      return DomainError(
        .vaultUnsafe, "The credential store is not safe to open: \(path) \(reason.problem). \(reason.fix(path))",
        data: ["reason": .string(reason.rawValue), "path": .string(path)])
    }
  }
}
