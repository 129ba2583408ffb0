import Foundation
import GRDB

/// What ``Vault/resetLockedCredentials(home:masterKey:)`` would do to a store, read without changing it.
public struct VaultResetPreview: Sendable, Equatable {
  /// Why the store is locked; nil when it opens (then there is nothing to reset).
  public let lockReason: LockReason?
  /// Every profile (all are kept).
  public let profiles: [String]
  /// Sealed credential values that would be dropped.
  public let sealedFields: Int
  /// Ledger rows (all are kept).
  public let operations: Int
}

/// What a reset did.
public struct VaultResetReport: Sendable, Equatable {
  /// Sealed credential values dropped.
  public let droppedFields: Int
  /// Profiles kept (now without credentials).
  public let profiles: [String]
}

/// Why a reset was refused.
public enum VaultResetError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The store opens with its key: nothing is unreadable, so nothing is dropped.
  case notLocked
  /// `SWITCHBOARD_MASTER_KEY` is not base64 of 32 bytes: fix or unset it (a reset cannot start a key from it).
  case malformedEnvironmentKey

  public var description: String {
    switch self {
    case .notLocked: "The credential store opens with its key: there is nothing to reset."
    case .malformedEnvironmentKey: "SWITCHBOARD_MASTER_KEY is not base64 of 32 bytes: fix or unset it, then reset."
    }
  }
}

extension Vault {
  /// Reads what a reset would drop and keep.
  public static func resetPreview(home: URL, masterKey: MasterKeySource) throws -> VaultResetPreview {
    let vault = try open(home: home, masterKey: masterKey)
    defer { try? vault.close() }
    return try vault.read("inspect the store for a reset") { db in
      VaultResetPreview(
        lockReason: vault.lockReason,
        profiles: try String.fetchAll(db, sql: "SELECT name FROM profiles ORDER BY name"),
        sealedFields: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials") ?? 0,
        operations: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM operations") ?? 0)
    }
  }

  /// Recovers a store locked by a lost, wrong or unreadable master key: drops every sealed
  /// credential value and the key check (they can no longer be opened), keeps profiles, the
  /// ledger and idempotency records, and starts a new key: with ``MasterKeySource/file`` the old
  /// `master.key` (if any) is removed and a new one generated; with ``MasterKeySource/environment(_:)``
  /// the environment's key becomes the store's key.
  ///
  /// Crash-safe in either order: the rows go first in one transaction; a store without sealed
  /// data accepts whatever well-formed key it finds next, or generates one.
  ///
  /// - Throws: ``VaultResetError/notLocked`` when the store opens (nothing is changed),
  ///   ``VaultResetError/malformedEnvironmentKey``, or ``VaultError`` for storage failures.
  @discardableResult
  public static func resetLockedCredentials(home: URL, masterKey: MasterKeySource) throws -> VaultResetReport {
    let vault = try open(home: home, masterKey: masterKey)
    guard let reason = vault.lockReason else {
      try vault.close()
      throw VaultResetError.notLocked
    }
    if case .environment = masterKey, reason == .malformedKey {
      try vault.close()
      throw VaultResetError.malformedEnvironmentKey
    }
    let report = try vault.write("drop unreadable credentials") { db in
      let dropped = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials") ?? 0
      try db.execute(sql: "DELETE FROM credentials")
      try db.execute(sql: "DELETE FROM meta WHERE key = 'keyCheck'")
      return VaultResetReport(
        droppedFields: dropped, profiles: try String.fetchAll(db, sql: "SELECT name FROM profiles ORDER BY name"))
    }
    try vault.close()
    if case .file = masterKey {
      let keyPath = vault.masterKeyURL.path
      // unlink, never following a symlink: the link goes, whatever it pointed at stays.
      if unlink(keyPath) != 0 && errno != ENOENT {
        throw VaultError.io("remove the old master.key: \(FilePermissions.describe(errno))")
      }
      FilePermissions.syncDirectory(vault.home.path)
    }
    let reopened = try open(home: home, masterKey: masterKey)
    defer { try? reopened.close() }
    if let reason = reopened.lockReason { throw VaultError.locked(reason: reason) }
    return report
  }
}
