import Foundation
import GRDB

/// State of an idempotency record.
public enum IdempotencyState: String, Sendable, Equatable, Codable {
  /// The key was stored before the upstream call; its outcome is not known yet.
  case pending
  /// The upstream call finished and its outcome is stored.
  case completed
}

/// What ``Vault/beginIdempotent(profile:key:method:fingerprint:)`` found.
public enum IdempotencyBegin: Sendable, Equatable {
  /// The key was new: a pending record now exists; make the upstream call,
  /// then ``Vault/completeIdempotent(profile:key:outcome:)`` (or
  /// ``Vault/releaseIdempotent(profile:key:)`` if the call surely did not happen).
  case started
  /// The same request already completed: return this stored outcome instead
  /// of calling upstream again.
  case completed(outcome: Data)
  /// The same request is in progress, or a previous attempt crashed between
  /// the two steps (so the upstream call may or may not have happened).
  case pending(since: Date)
  /// The key was used for a different method or different parameters.
  case mismatch
}

/// A stored idempotency record.
public struct IdempotencyRecord: Sendable, Equatable, Codable {
  /// The profile the key is scoped to.
  public var profile: String
  /// The client's idempotency key.
  public var key: String
  /// The RPC method that claimed the key.
  public var method: String
  /// A digest of the request parameters chosen by the caller.
  public var fingerprint: String
  public var state: IdempotencyState
  /// The stored outcome (JSON chosen by the caller), once completed.
  public var outcome: Data?
  /// When the key was claimed (``IdempotencyBegin/started``).
  public var createdAt: Date
  /// When the outcome was stored.
  public var completedAt: Date?
  /// Who is working on a pending key (an opaque token chosen by the caller); nil when nobody is.
  public var owner: String?
  /// When the upstream write was last about to be sent, if ever.
  public var sentAt: Date?
  /// When the last attempt ended without a known outcome (nil while one runs, or if its process died).
  public var endedAt: Date?
  /// The ledger row recording the attempt whose outcome is unknown.
  public var operationId: Int64?

  /// Creates a record (the vault builds these; tests and callers may too).
  public init(
    profile: String, key: String, method: String, fingerprint: String, state: IdempotencyState,
    outcome: Data? = nil, createdAt: Date, completedAt: Date? = nil, owner: String? = nil, sentAt: Date? = nil,
    endedAt: Date? = nil, operationId: Int64? = nil
  ) {
    self.owner = owner
    self.sentAt = sentAt
    self.endedAt = endedAt
    self.operationId = operationId
    self.profile = profile
    self.key = key
    self.method = method
    self.fingerprint = fingerprint
    self.state = state
    self.outcome = outcome
    self.createdAt = createdAt
    self.completedAt = completedAt
  }
}

extension Vault {
  /// Claims `key` for one money-spending request, in one `IMMEDIATE`
  /// transaction (so of several concurrent callers, threads or processes,
  /// exactly one gets `.started`). Records are scoped by profile. Works
  /// while the vault is locked.
  ///
  /// - Returns: `.started` if the key was new (a pending record is inserted);
  ///   `.completed(outcome:)` / `.pending(since:)` if a record with the same
  ///   method and fingerprint exists in that state; `.mismatch` if the key
  ///   exists with another method or fingerprint.
  public func beginIdempotent(
    profile: String, key: String, method: String, fingerprint: String, owner: String? = nil
  ) throws -> IdempotencyBegin {
    let now = Date()
    return try write("begin an idempotent request") { db in
      if let record = try Self.fetchIdempotency(db, profile: profile, key: key) {
        guard record.method == method, record.fingerprint == fingerprint else { return .mismatch }
        switch record.state {
        case .completed: return .completed(outcome: record.outcome ?? Data())
        case .pending: return .pending(since: record.createdAt)
        }
      }
      try db.execute(
        sql: """
          INSERT INTO idempotency (profile, key, method, fingerprint, state, outcome, createdAt, completedAt, owner)
          VALUES (?, ?, ?, ?, 'pending', NULL, ?, NULL, ?)
          """,
        arguments: [profile, key, method, fingerprint, now, owner])
      return .started
    }
  }

  /// Stores the outcome of a pending request and marks it completed (one
  /// transaction). A record already completed keeps its first outcome.
  ///
  /// - Returns: false if there was no pending record for the key (released,
  ///   deleted with its profile, or already completed).
  @discardableResult
  public func completeIdempotent(profile: String, key: String, outcome: Data) throws -> Bool {
    let now = Date()
    return try write("complete an idempotent request") { db in
      try db.execute(
        sql: """
          UPDATE idempotency SET state = 'completed', outcome = ?, completedAt = ?
          WHERE profile = ? AND key = ? AND state = 'pending'
          """,
        arguments: [outcome, now, profile, key])
      return db.changesCount > 0
    }
  }

  /// Deletes a pending record, for when the upstream call definitely did not
  /// happen (validation failed, the request was refused before sending), so
  /// the same key can be retried. Completed records are never deleted here.
  ///
  /// - Returns: false if there was no pending record for the key.
  @discardableResult
  public func releaseIdempotent(profile: String, key: String) throws -> Bool {
    try write("release an idempotent request") { db in
      try db.execute(
        sql: "DELETE FROM idempotency WHERE profile = ? AND key = ? AND state = 'pending'",
        arguments: [profile, key])
      return db.changesCount > 0
    }
  }

  /// The record stored for `key` in `profile`, if any.
  public func idempotencyRecord(profile: String, key: String) throws -> IdempotencyRecord? {
    try read("read an idempotency record") { db in
      try Self.fetchIdempotency(db, profile: profile, key: key)
    }
  }

  static func fetchIdempotency(_ db: Database, profile: String, key: String) throws -> IdempotencyRecord? {
    guard
      let row = try Row.fetchOne(
        db, sql: "SELECT * FROM idempotency WHERE profile = ? AND key = ?", arguments: [profile, key])
    else { return nil }
    return IdempotencyRecord(
      profile: profile,
      key: key,
      method: row.lenient("method") ?? "",
      fingerprint: row.lenient("fingerprint") ?? "",
      // An unreadable state is treated as pending: never replays, never re-buys.
      state: row.lenient("state", as: String.self).flatMap(IdempotencyState.init(rawValue:)) ?? .pending,
      outcome: row.lenient("outcome"),
      createdAt: row.lenient("createdAt") ?? Date(timeIntervalSince1970: 0),
      completedAt: row.lenient("completedAt"),
      owner: row.lenient("owner"),
      sentAt: row.lenient("sentAt"),
      endedAt: row.lenient("endedAt"),
      operationId: row.lenient("operationId"))
  }

  /// Takes over a pending key whose owner is `expectedOwner` (for instance a process that died),
  /// atomically: of several callers only one succeeds. Returns whether this caller got it.
  @discardableResult
  public func claimIdempotent(profile: String, key: String, owner: String, expectedOwner: String?) throws -> Bool {
    try write("claim an idempotent request") { db in
      try db.execute(
        sql: """
          UPDATE idempotency SET owner = ?
          WHERE profile = ? AND key = ? AND state = 'pending' AND owner IS ?
          """,
        arguments: [owner, profile, key, expectedOwner])
      return db.changesCount > 0
    }
  }

  /// Records that the upstream write of a pending key is about to be sent (a new attempt: its end
  /// is not known yet).
  public func markIdempotentSent(profile: String, key: String) throws {
    try write("mark an idempotent request as sent") { db in
      try db.execute(
        sql: "UPDATE idempotency SET sentAt = ?, endedAt = NULL WHERE profile = ? AND key = ? AND state = 'pending'",
        arguments: [Date(), profile, key])
    }
  }

  /// Leaves a pending key unowned, so the next attempt may take it over at once. When its attempt
  /// ended without a known outcome, `attemptEnded` says when (the settle window runs from there)
  /// and `operationId` names the ledger row that records it as unknown.
  public func suspendIdempotent(
    profile: String, key: String, attemptEnded: Date? = nil, operationId: Int64? = nil
  ) throws {
    try write("suspend an idempotent request") { db in
      try db.execute(
        sql: """
          UPDATE idempotency SET owner = NULL, endedAt = COALESCE(?, endedAt), operationId = COALESCE(?, operationId)
          WHERE profile = ? AND key = ? AND state = 'pending'
          """,
        arguments: [attemptEnded, operationId, profile, key])
    }
  }
}
