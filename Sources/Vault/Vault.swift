import Foundation
import GRDB

/// The credential store: one SQLite database (GRDB `DatabasePool`, WAL) in a
/// private home folder, credential values sealed with AES-256-GCM under a
/// master key, plus the profile list, the operations ledger and idempotency
/// records.
///
/// Every method is synchronous, thread-safe and callable from any thread or
/// task; every write is one SQLite `IMMEDIATE` transaction, and a busy timeout
/// lets several processes share one home folder.
///
/// Key problems (missing, malformed or wrong master key) do not make ``open(home:masterKey:)``
/// fail: the vault opens locked, credential methods throw
/// ``VaultError/locked(reason:)``, and everything else (profiles, ledger,
/// idempotency) keeps working.
public final class Vault: Sendable {
  /// The home folder (holds `switchboard.sqlite` and `master.key`).
  public let home: URL
  /// `home/switchboard.sqlite`.
  public let databaseURL: URL
  /// `home/master.key` (used only with ``MasterKeySource/file``).
  public let masterKeyURL: URL

  let pool: DatabasePool
  let keyState: KeyState

  /// File name of the database inside the home folder.
  public static let databaseFileName = "switchboard.sqlite"
  /// File name of the master key inside the home folder.
  public static let masterKeyFileName = "master.key"
  /// How long a write waits for another connection or process before failing.
  public static let busyTimeout: TimeInterval = 10

  private init(home: URL, pool: DatabasePool, keyState: KeyState) {
    self.home = home
    self.databaseURL = home.appendingPathComponent(Self.databaseFileName)
    self.masterKeyURL = home.appendingPathComponent(Self.masterKeyFileName)
    self.pool = pool
    self.keyState = keyState
  }

  /// Why credential operations are refused, or nil when the vault is unlocked.
  public var lockReason: LockReason? {
    if case .locked(let reason) = keyState { return reason }
    return nil
  }

  /// Opens (creating if needed) the vault in `home`.
  ///
  /// Creates the folder with mode 0700 if it does not exist (an existing
  /// folder's mode is left alone), `switchboard.sqlite` with mode 0600 before
  /// SQLite opens it (SQLite gives `-wal`/`-shm` the same mode), tightens an
  /// existing database readable by others to 0600, applies migrations and
  /// resolves the master key.
  ///
  /// Refuses (``VaultError/unsafe(path:reason:)``) a folder, database or key
  /// file owned by another user or writable by others, a `master.key` readable
  /// by others, and any of the store's files that is a symbolic link.
  ///
  /// - Throws: ``VaultError/io(_:)`` if the folder or database cannot be
  ///   created or opened. Never throws for key problems: check ``lockReason``.
  public static func open(home: URL, masterKey: MasterKeySource) throws -> Vault {
    try FilePermissions.ensurePrivateDirectory(home.standardizedFileURL)
    // A linked home is followed once, here; the folder it leads to is what gets checked and used.
    let home = URL(fileURLWithPath: HomeSafety.resolved(home.standardizedFileURL.path), isDirectory: true)
    try HomeSafety.checkFolder(home.path)
    let dbPath = home.appendingPathComponent(databaseFileName).path
    let keyPath = home.appendingPathComponent(masterKeyFileName).path
    let storeFiles = [dbPath, dbPath + "-wal", dbPath + "-shm", dbPath + "-journal"]
    for path in storeFiles { try HomeSafety.checkFile(path, secret: false) }
    try HomeSafety.checkFile(keyPath, secret: true)
    try FilePermissions.ensurePrivateFile(dbPath)
    for path in storeFiles { FilePermissions.tightenIfExists(path) }

    let pool = try VaultError.wrapping("open the database") { try openPool(path: dbPath) }
    let keyState = try KeyState.resolve(source: masterKey, keyFilePath: keyPath, pool: pool)
    return Vault(home: home, pool: pool, keyState: keyState)
  }

  /// Opens the pool, switches the writer to `synchronous = FULL` (a commit is
  /// on disk before an upstream call that depends on it, e.g. an idempotency
  /// key) and migrates. Retries a few times when several processes create
  /// the same fresh database at once.
  private static func openPool(path: String) throws -> DatabasePool {
    var configuration = Configuration()
    configuration.label = "Switchboard.Vault"
    configuration.busyMode = .timeout(busyTimeout)
    configuration.foreignKeysEnabled = true
    var attempt = 0
    while true {
      do {
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
          try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        try Schema.migrate(pool)
        return pool
      } catch let error as DatabaseError
        where (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && attempt < 5
      {
        attempt += 1
        Thread.sleep(forTimeInterval: 0.05 * Double(attempt))
      }
    }
  }

  /// Closes the database connections. Later calls throw ``VaultError/io(_:)``.
  public func close() throws {
    // Fold the WAL back into the database first: GRDB closes the writer before the readers, and a
    // read-only connection closing last cannot checkpoint, which would leave every change in -wal.
    _ = try VaultError.wrapping("checkpoint the database") {
      try pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }
    try VaultError.wrapping("close the database") { try pool.close() }
  }

  /// A new random master key as base64 text, suitable for `SWITCHBOARD_MASTER_KEY`.
  public static func generateMasterKey() -> String {
    MasterKey.generate().base64
  }

  // MARK: Internals shared by the extensions

  /// The master key, or `.locked` when the vault is locked.
  func unlockedKey() throws -> MasterKey {
    switch keyState {
    case .unlocked(let key): return key
    case .locked(let reason): throw VaultError.locked(reason: reason)
    }
  }

  /// Runs `body` in one `IMMEDIATE` write transaction, committed if it returns.
  func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
    try VaultError.wrapping(operation) {
      try pool.writeWithoutTransaction { db in
        var result: T?
        try db.inTransaction(.immediate) {
          result = try body(db)
          return .commit
        }
        return result!
      }
    }
  }

  /// Runs `body` on a reader (a consistent snapshot).
  func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
    try VaultError.wrapping(operation) {
      try pool.read { db in try body(db) }
    }
  }
}
