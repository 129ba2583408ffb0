import Foundation
import GRDB

/// One profile as listed by ``Vault/listProfiles()``. Holds no secret.
public struct ProfileSummary: Sendable, Equatable, Codable {
  /// The profile name.
  public var name: String
  /// When the profile was created (first stored value).
  public var createdAt: Date
  /// When its credentials last changed.
  public var updatedAt: Date
  /// Fields with a stored box (readable or not: listing does not decrypt), in
  /// declaration order.
  public var fieldsSet: [CredentialField]

  /// Creates a summary (the vault builds these; tests and callers may too).
  public init(name: String, createdAt: Date, updatedAt: Date, fieldsSet: [CredentialField]) {
    self.name = name
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.fieldsSet = fieldsSet
  }
}

extension Vault {
  /// True if `name` is 1–64 characters of `[A-Za-z0-9._-]`. The vault stores
  /// any name; callers validate with this before calling it.
  public static func isValidProfileName(_ name: String) -> Bool {
    let utf8 = name.utf8
    guard (1...64).contains(utf8.count) else { return false }
    return utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
        return true
      default:
        return false
      }
    }
  }

  /// Every profile, sorted by name. Works while the vault is locked (it
  /// reads which fields exist, it does not open them).
  public func listProfiles() throws -> [ProfileSummary] {
    try read("list profiles") { db in
      var fields: [String: [CredentialField]] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT profile, field FROM credentials") {
        guard let profile = row.lenient("profile", as: String.self),
          let name = row.lenient("field", as: String.self),
          let field = CredentialField(rawValue: name)
        else { continue }
        fields[profile, default: []].append(field)
      }
      return try Row.fetchAll(db, sql: "SELECT name, createdAt, updatedAt FROM profiles ORDER BY name")
        .compactMap { row -> ProfileSummary? in
          guard let name = row.lenient("name", as: String.self) else { return nil }
          let createdAt = row.lenient("createdAt", as: Date.self) ?? Date(timeIntervalSince1970: 0)
          return ProfileSummary(
            name: name,
            createdAt: createdAt,
            updatedAt: row.lenient("updatedAt", as: Date.self) ?? createdAt,
            fieldsSet: (fields[name] ?? []).sorted())
        }
    }
  }

  /// Deletes `name` in one transaction: the profile row, its credentials, its
  /// idempotency records and its ledger rows (a profile created again under
  /// the same name starts with an empty history). Works while locked.
  ///
  /// - Returns: false if nothing was stored under `name`.
  @discardableResult
  public func deleteProfile(_ name: String) throws -> Bool {
    try write("delete profile") { db in
      var removed = 0
      try db.execute(sql: "DELETE FROM credentials WHERE profile = ?", arguments: [name])
      removed += db.changesCount
      try db.execute(sql: "DELETE FROM idempotency WHERE profile = ?", arguments: [name])
      removed += db.changesCount
      try db.execute(sql: "DELETE FROM operations WHERE profile = ?", arguments: [name])
      removed += db.changesCount
      try db.execute(sql: "DELETE FROM profiles WHERE name = ?", arguments: [name])
      removed += db.changesCount
      return removed > 0
    }
  }
}
