import JSONRPC
import Telephony
import Vault

/// An error that is one of the service's domain errors once mapped.
protocol DomainErrorConvertible: Error {
  var domainError: DomainError { get }
}

extension DomainError: DomainErrorConvertible {
  var domainError: DomainError { self }
}

extension UpstreamError: DomainErrorConvertible {}
extension VaultError: DomainErrorConvertible {}

/// The kind of any error the service meets, taken from its type (never read back out of encoded
/// JSON): a domain error's `data.kind`, `cancelled`, `rpc.<code>` for a protocol error, else `internal`.
func errorKind(of error: any Error) -> String {
  if error is CancellationError { return "cancelled" }
  if let domain = (error as? any DomainErrorConvertible)?.domainError { return domain.kind.rawValue }
  if let rpc = (error as? any RPCErrorConvertible)?.rpcError { return "rpc.\(rpc.code)" }
  return "internal"
}
