import Foundation
import GRDB

/// Why the vault cannot seal or open credentials.
public enum LockReason: String, Sendable, Equatable, Codable, CaseIterable {
  /// `SWITCHBOARD_MASTER_KEY` (or the contents of `master.key`) is not base64
  /// of exactly 32 bytes.
  case malformedKey
  /// The master key does not open the key check stored in the database: the
  /// data was sealed with another key.
  case wrongKey
  /// `master.key` is missing but the database already holds data sealed with
  /// a key; a new key is never generated in that case.
  case keyFileMissing
  /// `master.key` exists but cannot be read (permissions, not a regular file, I/O error).
  case keyFileUnreadable
}

/// Errors thrown by ``Vault``. No case ever carries a secret.
public enum VaultError: Error, Sendable, Equatable {
  /// The master key is unusable; every credential operation fails until the
  /// key problem is fixed and the vault reopened.
  case locked(reason: LockReason)
  /// Stored boxes of these fields failed to open (tampered or moved rows).
  /// ``Vault/readCredentials(profile:)`` reports corruption in
  /// ``StoredCredentials/corrupt`` instead; callers throw this case through
  /// ``StoredCredentials/throwIfCorrupt(_:)``.
  case corrupt(profile: String, fields: [CredentialField])
  /// A file-system or database failure. The message names the operation and
  /// the SQLite error, never a value.
  case io(String)
  /// The home folder or one of the store's files could be changed (or the master key read) by
  /// another user; the store is not opened.
  case unsafe(path: String, reason: UnsafeReason)
}

extension VaultError: CustomStringConvertible, LocalizedError {
  public var description: String {
    switch self {
    case .locked(let reason):
      switch reason {
      case .malformedKey:
        return "The vault is locked: the master key is not base64 of 32 bytes."
      case .wrongKey:
        return "The vault is locked: the master key does not match the stored data."
      case .keyFileMissing:
        return "The vault is locked: master.key is missing but the database holds sealed data."
      case .keyFileUnreadable:
        return "The vault is locked: master.key cannot be read."
      }
    case .corrupt(let profile, let fields):
      let names = fields.map(\.rawValue).joined(separator: ", ")
      return "Stored credentials of profile \(profile) are corrupt: \(names)."
    case .io(let message):
      return "Vault storage error: \(message)"
    case .unsafe(let path, let reason):
      return "Refusing to open the credential store: \(path) \(reason.problem). \(reason.fix(path))"
    }
  }

  public var errorDescription: String? { description }
}

extension VaultError {
  /// Runs `body`, converting any error that is not already a ``VaultError``
  /// into ``VaultError/io(_:)`` with a message free of SQL arguments.
  static func wrapping<T>(_ operation: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as VaultError {
      throw error
    } catch let error as DatabaseError {
      throw VaultError.io(
        "\(operation): SQLite error \(error.extendedResultCode.rawValue) (\(error.message ?? "no message"))")
    } catch {
      throw VaultError.io("\(operation): \(type(of: error))")
    }
  }
}

extension UnsafeReason {
  /// What is wrong, after the path: "is writable by other users".
  public var problem: String {
    switch self {
    case .ownedByAnotherUser: "is owned by another user"
    case .writableByOthers: "is writable by other users"
    case .keyReadableByOthers: "(the master key) is readable by other users"
    case .symbolicLink: "is a symbolic link, and the store's files are never opened through one"
    }
  }

  /// How to fix it, as one sentence.
  public func fix(_ path: String) -> String {
    switch self {
    case .ownedByAnotherUser:
      "Use a folder of your own (set SWITCHBOARD_HOME) or take ownership: chown $(id -un) '\(path)'."
    case .writableByOthers: "Remove write access for others: chmod go-w '\(path)'."
    case .keyReadableByOthers:
      "Run chmod 600 '\(path)'; if someone may have read it, run switchboard credentials reset and set the credentials again."
    case .symbolicLink: "Move it away; the store creates its own file."
    }
  }
}
