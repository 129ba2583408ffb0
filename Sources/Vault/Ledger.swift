import Foundation
import GRDB

/// Whether an operation on an upstream account succeeded.
public enum OperationOutcome: String, Sendable, Equatable, Codable, CaseIterable {
  /// The upstream call succeeded.
  case succeeded
  /// The upstream call failed: nothing was changed.
  case failed
  /// The write may or may not have happened (its reply never came); reconciliation rewrites the
  /// row once it learns the truth.
  case unknown
}

/// An operation to append to the ledger. Never put a secret in any field.
public struct NewOperation: Sendable, Equatable {
  /// The profile whose upstream account was (or would have been) changed.
  public var profile: String
  /// The RPC method, e.g. `importNumber`, `createNumber`, `updateNumber`, `deleteNumber`.
  public var method: String
  /// What it acted on, e.g. a PN SID, an E.164 number, an area code, a number id.
  public var target: String
  /// Whether it worked.
  public var outcome: OperationOutcome
  /// A short non-secret note (e.g. the error message shown to the user).
  public var detail: String?
  /// The Vapi phone-number id involved, when known.
  public var numberId: String?
  /// The error's `data.kind` when it failed.
  public var errorKind: String?
  /// When it happened (defaults to now).
  public var at: Date

  /// Creates an operation to record; `at` defaults to now.
  public init(
    profile: String, method: String, target: String, outcome: OperationOutcome,
    detail: String? = nil, numberId: String? = nil, errorKind: String? = nil, at: Date = Date()
  ) {
    self.profile = profile
    self.method = method
    self.target = target
    self.outcome = outcome
    self.detail = detail
    self.numberId = numberId
    self.errorKind = errorKind
    self.at = at
  }
}

/// A stored ledger row.
public struct OperationRecord: Sendable, Equatable, Codable {
  /// Increasing row id (use as the `before` cursor of ``Vault/operations(profile:limit:before:)``).
  public var id: Int64
  /// When it happened (stored with millisecond precision).
  public var at: Date
  /// The profile it acted for.
  public var profile: String
  /// The RPC method that made the change.
  public var method: String
  /// What it acted on (SID, number, area code, id).
  public var target: String
  /// Whether it worked.
  public var outcome: OperationOutcome
  /// A short non-secret note.
  public var detail: String?
  /// The Vapi phone-number id involved, when known.
  public var numberId: String?
  /// The error's `data.kind` when it failed.
  public var errorKind: String?

  /// Creates a record (the vault builds these; tests and callers may too).
  public init(
    id: Int64, at: Date, profile: String, method: String, target: String, outcome: OperationOutcome,
    detail: String? = nil, numberId: String? = nil, errorKind: String? = nil
  ) {
    self.id = id
    self.at = at
    self.profile = profile
    self.method = method
    self.target = target
    self.outcome = outcome
    self.detail = detail
    self.numberId = numberId
    self.errorKind = errorKind
  }
}

extension Vault {
  /// Largest `limit` ``operations(profile:limit:before:)`` honours.
  public static let maximumOperationsLimit = 10_000

  /// Appends `op` to the ledger (one transaction) and returns the stored row.
  /// Works while the vault is locked.
  @discardableResult
  public func recordOperation(_ op: NewOperation) throws -> OperationRecord {
    try write("record an operation") { db in
      try db.execute(
        sql: """
          INSERT INTO operations (at, profile, method, target, outcome, detail, numberId, errorKind)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [op.at, op.profile, op.method, op.target, op.outcome.rawValue, op.detail, op.numberId, op.errorKind])
      let id = db.lastInsertedRowID
      let row = try Row.fetchOne(db, sql: "SELECT * FROM operations WHERE id = ?", arguments: [id])
      return row.flatMap(Self.operationRecord)
        ?? OperationRecord(
          id: id, at: op.at, profile: op.profile, method: op.method, target: op.target, outcome: op.outcome,
          detail: op.detail, numberId: op.numberId, errorKind: op.errorKind)
    }
  }

  /// The ledger of `profile`, newest first: at most `limit` rows (clamped to
  /// 0…``maximumOperationsLimit``), only rows with `id < before` when given
  /// (pagination). Works while the vault is locked.
  public func operations(profile: String, limit: Int, before: Int64? = nil) throws -> [OperationRecord] {
    let limit = min(max(limit, 0), Self.maximumOperationsLimit)
    if limit == 0 { return [] }
    return try read("read operations") { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM operations
          WHERE profile = ?1 AND (?2 IS NULL OR id < ?2)
          ORDER BY id DESC LIMIT ?3
          """,
        arguments: [profile, before, limit]
      ).compactMap(Self.operationRecord)
    }
  }

  /// Rewrites the outcome of ledger row `id` once it is known (reconciliation found the number, or
  /// proved nothing was created). Returns false if there is no such row.
  @discardableResult
  public func updateOperation(
    id: Int64, outcome: OperationOutcome, detail: String?, numberId: String? = nil, target: String? = nil,
    errorKind: String? = nil
  ) throws -> Bool {
    try write("update an operation") { db in
      try db.execute(
        sql: """
          UPDATE operations SET outcome = ?, detail = ?, numberId = COALESCE(?, numberId),
            target = COALESCE(?, target), errorKind = ?
          WHERE id = ?
          """,
        arguments: [outcome.rawValue, detail, numberId, target, errorKind, id])
      return db.changesCount > 0
    }
  }

  static func operationRecord(_ row: Row) -> OperationRecord? {
    guard let id = row.lenient("id", as: Int64.self),
      let profile = row.lenient("profile", as: String.self)
    else { return nil }
    return OperationRecord(
      id: id,
      at: row.lenient("at") ?? Date(timeIntervalSince1970: 0),
      profile: profile,
      method: row.lenient("method") ?? "",
      target: row.lenient("target") ?? "",
      outcome: row.lenient("outcome", as: String.self).flatMap(OperationOutcome.init(rawValue:)) ?? .failed,
      detail: row.lenient("detail"),
      numberId: row.lenient("numberId"),
      errorKind: row.lenient("errorKind"))
  }
}
