import Foundation
import GRDB

/// The database schema, built by named `DatabaseMigrator` migrations.
///
/// `v1`:
/// ```sql
/// CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL);
/// CREATE TABLE profiles (name TEXT PRIMARY KEY NOT NULL,
///   createdAt DATETIME NOT NULL, updatedAt DATETIME NOT NULL);
/// CREATE TABLE credentials (
///   profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
///   field TEXT NOT NULL, box BLOB NOT NULL, updatedAt DATETIME NOT NULL,
///   PRIMARY KEY (profile, field));
/// CREATE TABLE operations (id INTEGER PRIMARY KEY AUTOINCREMENT,
///   at DATETIME NOT NULL, profile TEXT NOT NULL, method TEXT NOT NULL,
///   target TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
///   detail TEXT, numberId TEXT, errorKind TEXT);
/// CREATE INDEX operations_by_profile ON operations (profile, id);
/// CREATE TABLE idempotency (profile TEXT NOT NULL, key TEXT NOT NULL,
///   method TEXT NOT NULL, fingerprint TEXT NOT NULL,
///   state TEXT NOT NULL CHECK (state IN ('pending', 'completed')),
///   outcome BLOB, createdAt DATETIME NOT NULL, completedAt DATETIME,
///   PRIMARY KEY (profile, key));
/// ```
///
/// `v2`: `idempotency` gains `owner TEXT` (who is working on a pending key: an opaque token the
/// caller chooses, e.g. a process identity; NULL when nobody is) and `sentAt DATETIME` (when the
/// upstream write was last about to be sent).
///
/// `v3`: `operations.outcome` may also be `unknown` (a write whose reply never came; reconciliation
/// later rewrites the row), so the table is rebuilt with the wider CHECK (SQLite cannot alter one);
/// `idempotency` gains `endedAt DATETIME` (when the last attempt ended without a known outcome) and
/// `operationId INTEGER` (the ledger row of that attempt).
///
/// `v4`: the usage cache (`Vault+Usage.swift`). `usage_calls` keeps, per profile and saved number,
/// the few facts of each call that usage totals are made of (never a transcript, a customer
/// number or a cost breakdown); `usage_coverage` says which `createdAt` range of a number's calls
/// it holds completely and when it was last synced. Times are integer milliseconds since 1970.
/// Both go with their profile (`ON DELETE CASCADE`).
/// ```sql
/// CREATE TABLE usage_calls (profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
///   numberId TEXT NOT NULL, callId TEXT NOT NULL, createdAt INTEGER NOT NULL, updatedAt INTEGER,
///   type TEXT, status TEXT, seconds REAL, cost REAL, PRIMARY KEY (profile, numberId, callId));
/// CREATE INDEX usage_calls_by_time ON usage_calls (profile, numberId, createdAt);
/// CREATE TABLE usage_coverage (profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
///   numberId TEXT NOT NULL, coveredFrom INTEGER NOT NULL, coveredUntil INTEGER NOT NULL,
///   maxUpdatedAt INTEGER, syncedAt INTEGER NOT NULL, PRIMARY KEY (profile, numberId));
/// ```
///
/// Dates use GRDB's default text format (`YYYY-MM-DD HH:MM:SS.SSS`, UTC).
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value BLOB NOT NULL
          );
          CREATE TABLE profiles (
            name TEXT PRIMARY KEY NOT NULL,
            createdAt DATETIME NOT NULL,
            updatedAt DATETIME NOT NULL
          );
          CREATE TABLE credentials (
            profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
            field TEXT NOT NULL,
            box BLOB NOT NULL,
            updatedAt DATETIME NOT NULL,
            PRIMARY KEY (profile, field)
          );
          CREATE TABLE operations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            profile TEXT NOT NULL,
            method TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
            detail TEXT,
            numberId TEXT,
            errorKind TEXT
          );
          CREATE INDEX operations_by_profile ON operations (profile, id);
          CREATE TABLE idempotency (
            profile TEXT NOT NULL,
            key TEXT NOT NULL,
            method TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending', 'completed')),
            outcome BLOB,
            createdAt DATETIME NOT NULL,
            completedAt DATETIME,
            PRIMARY KEY (profile, key)
          );
          """)
    }
    migrator.registerMigration("v2") { db in
      try db.execute(
        sql: """
          ALTER TABLE idempotency ADD COLUMN owner TEXT;
          ALTER TABLE idempotency ADD COLUMN sentAt DATETIME;
          """)
    }
    migrator.registerMigration("v3") { db in
      try db.execute(
        sql: """
          CREATE TABLE operations_v3 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            profile TEXT NOT NULL,
            method TEXT NOT NULL,
            target TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'unknown')),
            detail TEXT,
            numberId TEXT,
            errorKind TEXT
          );
          INSERT INTO operations_v3 (id, at, profile, method, target, outcome, detail, numberId, errorKind)
            SELECT id, at, profile, method, target, outcome, detail, numberId, errorKind FROM operations;
          DROP TABLE operations;
          ALTER TABLE operations_v3 RENAME TO operations;
          CREATE INDEX operations_by_profile ON operations (profile, id);
          ALTER TABLE idempotency ADD COLUMN endedAt DATETIME;
          ALTER TABLE idempotency ADD COLUMN operationId INTEGER;
          """)
    }
    migrator.registerMigration("v4") { db in
      try db.execute(
        sql: """
          CREATE TABLE usage_calls (
            profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
            numberId TEXT NOT NULL,
            callId TEXT NOT NULL,
            createdAt INTEGER NOT NULL,
            updatedAt INTEGER,
            type TEXT,
            status TEXT,
            seconds REAL,
            cost REAL,
            PRIMARY KEY (profile, numberId, callId)
          );
          CREATE INDEX usage_calls_by_time ON usage_calls (profile, numberId, createdAt);
          CREATE TABLE usage_coverage (
            profile TEXT NOT NULL REFERENCES profiles(name) ON DELETE CASCADE,
            numberId TEXT NOT NULL,
            coveredFrom INTEGER NOT NULL,
            coveredUntil INTEGER NOT NULL,
            maxUpdatedAt INTEGER,
            syncedAt INTEGER NOT NULL,
            PRIMARY KEY (profile, numberId)
          );
          """)
    }
    return migrator
  }

  /// Applies pending migrations. Two processes opening a fresh store at the
  /// same moment can both see a migration as unapplied; the loser's
  /// transaction fails and rolls back, so it retries and finds it applied.
  static func migrate(_ pool: DatabasePool) throws {
    let migrator = self.migrator
    var attempt = 0
    while true {
      do {
        try migrator.migrate(pool)
        return
      } catch {
        attempt += 1
        if attempt >= 5 { throw error }
        if try pool.read({ try migrator.hasCompletedMigrations($0) }) { return }
        Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
      }
    }
  }

  /// True if the store already holds data sealed with some master key (a key
  /// check or any credential box), in which case a new key must not be generated.
  static func holdsSealedData(_ pool: DatabasePool) throws -> Bool {
    try VaultError.wrapping("inspect the store") {
      try pool.read { db in
        try Bool.fetchOne(
          db,
          sql: """
            SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'keyCheck')
                OR EXISTS (SELECT 1 FROM credentials)
            """) ?? false
      }
    }
  }
}
