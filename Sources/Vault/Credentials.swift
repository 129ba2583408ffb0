import Foundation
import GRDB

extension Vault {
  /// Reads and opens every stored field of `profile`.
  ///
  /// A box that fails to open lands in ``StoredCredentials/corrupt`` while the
  /// other fields stay readable; callers decide whether that is an error. An
  /// unknown profile gives an empty value (not an error).
  ///
  /// - Throws: ``VaultError/locked(reason:)`` when the vault is locked,
  ///   ``VaultError/io(_:)`` on storage failure.
  public func readCredentials(profile: String) throws -> StoredCredentials {
    let key = try unlockedKey()
    let rows = try read("read credentials") { db in try Self.fetchBoxes(db, profile: profile) }
    return Self.open(rows, profile: profile, key: key)
  }

  /// Applies `changes` to `profile` in one transaction and returns the new state.
  ///
  /// A key absent from `changes` keeps its field; `.some(nil)` clears it; a
  /// value seals and stores it. The profile row is created by the first write
  /// that stores a value (clearing fields of an unknown profile creates
  /// nothing); its `updatedAt` moves on every applied change. Values are
  /// stored as given: format validation is the caller's job. Empty `changes`
  /// only reads.
  ///
  /// - Throws: ``VaultError/locked(reason:)`` when the vault is locked,
  ///   ``VaultError/io(_:)`` on storage failure (nothing is written then).
  @discardableResult
  public func updateCredentials(profile: String, changes: [CredentialField: String?]) throws -> StoredCredentials {
    let key = try unlockedKey()
    if changes.isEmpty { return try readCredentials(profile: profile) }
    // Seal before taking the write lock.
    var sealed: [CredentialField: Data] = [:]
    var cleared: [CredentialField] = []
    for (field, value) in changes {
      if let value {
        sealed[field] = try Sealing.seal(value, profile: profile, field: field, key: key)
      } else {
        cleared.append(field)
      }
    }
    let now = Date()
    let rows = try write("update credentials") { db -> [BoxRow] in
      let exists = try Self.profileExists(db, profile)
      if !exists {
        if sealed.isEmpty { return [] }
        try db.execute(
          sql: "INSERT INTO profiles (name, createdAt, updatedAt) VALUES (?, ?, ?)",
          arguments: [profile, now, now])
      }
      for (field, box) in sealed.sorted(by: { $0.key < $1.key }) {
        try db.execute(
          sql: """
            INSERT INTO credentials (profile, field, box, updatedAt) VALUES (?, ?, ?, ?)
            ON CONFLICT (profile, field) DO UPDATE SET box = excluded.box, updatedAt = excluded.updatedAt
            """,
          arguments: [profile, field.rawValue, box, now])
      }
      for field in cleared {
        try db.execute(
          sql: "DELETE FROM credentials WHERE profile = ? AND field = ?",
          arguments: [profile, field.rawValue])
      }
      try db.execute(sql: "UPDATE profiles SET updatedAt = ? WHERE name = ?", arguments: [now, profile])
      return try Self.fetchBoxes(db, profile: profile)
    }
    return Self.open(rows, profile: profile, key: key)
  }

  /// Removes all four fields of `profile` in one transaction. The profile
  /// itself stays (it still appears in ``listProfiles()`` with no fields, and
  /// keeps its ledger and idempotency records); use ``deleteProfile(_:)`` to
  /// remove it. Returns the new (empty) state.
  ///
  /// - Throws: ``VaultError/locked(reason:)`` when the vault is locked,
  ///   ``VaultError/io(_:)`` on storage failure.
  @discardableResult
  public func clearCredentials(profile: String) throws -> StoredCredentials {
    _ = try unlockedKey()
    let now = Date()
    try write("clear credentials") { db in
      try db.execute(sql: "DELETE FROM credentials WHERE profile = ?", arguments: [profile])
      if db.changesCount > 0 {
        try db.execute(sql: "UPDATE profiles SET updatedAt = ? WHERE name = ?", arguments: [now, profile])
      }
    }
    return StoredCredentials(profile: profile)
  }

  // MARK: Helpers

  struct BoxRow {
    var field: CredentialField
    var box: Data
    var updatedAt: Date?
  }

  static func profileExists(_ db: Database, _ profile: String) throws -> Bool {
    try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM profiles WHERE name = ?)", arguments: [profile]) ?? false
  }

  /// The stored boxes of `profile`; rows with an unknown field name are ignored.
  static func fetchBoxes(_ db: Database, profile: String) throws -> [BoxRow] {
    let rows = try Row.fetchAll(
      db, sql: "SELECT field, box, updatedAt FROM credentials WHERE profile = ?", arguments: [profile])
    return rows.compactMap { row in
      guard let name = row.lenient("field", as: String.self), let field = CredentialField(rawValue: name) else {
        return nil
      }
      // A box that is not a BLOB/TEXT becomes empty bytes, which fail to open (corrupt).
      return BoxRow(field: field, box: row.lenient("box", as: Data.self) ?? Data(), updatedAt: row.lenient("updatedAt"))
    }
  }

  static func open(_ rows: [BoxRow], profile: String, key: MasterKey) -> StoredCredentials {
    var result = StoredCredentials(profile: profile)
    for row in rows {
      result.updatedAt[row.field] = row.updatedAt
      if let value = Sealing.open(row.box, profile: profile, field: row.field, key: key) {
        result.values[row.field] = value
      } else {
        result.corrupt.insert(row.field)
      }
    }
    return result
  }
}
