import Crypto
import Foundation
import GRDB

/// Where ``Vault`` gets its 256-bit master key.
///
/// `description`, `debugDescription` and reflection never show the key.
public enum MasterKeySource: Sendable, Equatable {
  /// The raw value of `SWITCHBOARD_MASTER_KEY`: base64 of exactly 32 bytes
  /// (surrounding whitespace is ignored).
  case environment(String)
  /// The file `master.key` in the vault's home folder, generated on first use.
  ///
  /// Format: the base64 text of 32 random bytes followed by a newline (the
  /// same text `SWITCHBOARD_MASTER_KEY` takes, so a key can be moved between
  /// the two). A file holding exactly 32 raw bytes is also accepted.
  case file
}

extension MasterKeySource: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String {
    switch self {
    case .environment: return "environment(<redacted>)"
    case .file: return "file"
    }
  }

  public var debugDescription: String { "MasterKeySource.\(description)" }

  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .enum) }
}

/// 32 bytes of AES-256 key material. Kept as bytes (not `SymmetricKey`) so the
/// value is `Sendable`; never printed.
struct MasterKey: Sendable {
  static let byteCount = 32

  let bytes: [UInt8]

  init?(bytes: [UInt8]) {
    guard bytes.count == Self.byteCount else { return nil }
    self.bytes = bytes
  }

  /// Parses base64 of exactly 32 bytes, ignoring surrounding whitespace.
  init?(base64 text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard let data = Data(base64Encoded: trimmed) else { return nil }
    self.init(bytes: Array(data))
  }

  /// Parses the contents of `master.key`: exactly 32 raw bytes, or base64 text
  /// of 32 bytes (a 32-byte file can never be base64 of 32 bytes, which is 44
  /// characters, so the two forms cannot be confused).
  init?(fileContents data: Data) {
    if data.count == Self.byteCount {
      self.init(bytes: Array(data))
    } else if let text = String(data: data, encoding: .utf8) {
      self.init(base64: text)
    } else {
      return nil
    }
  }

  /// A new key from the system's secure random generator.
  static func generate() -> MasterKey {
    let key = SymmetricKey(size: .bits256)
    return MasterKey(bytes: key.withUnsafeBytes { Array($0) })!
  }

  var symmetricKey: SymmetricKey { SymmetricKey(data: bytes) }

  var base64: String { Data(bytes).base64EncodedString() }

  /// What `master.key` holds: base64 text and a newline.
  var fileContents: Data { Data((base64 + "\n").utf8) }
}

extension MasterKey: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  var description: String { "MasterKey(<redacted>)" }
  var debugDescription: String { description }
  var customMirror: Mirror { Mirror(self, children: []) }
}

/// Whether the vault can seal and open credentials; decided once at open.
enum KeyState: Sendable {
  case unlocked(MasterKey)
  case locked(LockReason)

  /// Loads (or on a fresh store generates) the master key and checks it
  /// against the key check in `meta`, installing the key check on first use.
  /// Key problems give `.locked`; only database/file-system failures throw.
  static func resolve(source: MasterKeySource, keyFilePath: String, pool: DatabasePool) throws -> KeyState {
    let key: MasterKey
    switch source {
    case .environment(let raw):
      guard let parsed = MasterKey(base64: raw) else { return .locked(.malformedKey) }
      key = parsed
    case .file:
      switch loadKeyFile(keyFilePath) {
      case .success(let loaded):
        key = loaded
      case .failure(.missing) where try Schema.holdsSealedData(pool):
        // Another process may have created master.key and then its key check between our two
        // looks (it always writes the file first): look at the file again before calling it missing.
        switch loadKeyFile(keyFilePath) {
        case .success(let loaded): key = loaded
        case .failure(.missing): return .locked(.keyFileMissing)
        case .failure(.lock(let reason)): return .locked(reason)
        }
      case .failure(.missing):
        let fresh = MasterKey.generate()
        switch try FilePermissions.createExclusively(keyFilePath, contents: fresh.fileContents) {
        case .created:
          key = fresh
        case .alreadyExists:
          // Another process created it first: use theirs.
          switch loadKeyFile(keyFilePath) {
          case .success(let loaded): key = loaded
          case .failure(.missing): return .locked(.keyFileMissing)
          case .failure(.lock(let reason)): return .locked(reason)
          }
        }
      case .failure(.lock(let reason)):
        return .locked(reason)
      }
    }
    let matches = try VaultError.wrapping("check the master key") {
      try pool.writeWithoutTransaction { db -> Bool in
        var matches = false
        try db.inTransaction(.immediate) {
          if let check = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'keyCheck'") {
            matches = Sealing.verifyKeyCheck(check, key: key)
          } else {
            try db.execute(
              sql: "INSERT INTO meta (key, value) VALUES ('keyCheck', ?)",
              arguments: [try Sealing.sealKeyCheck(key: key)])
            matches = true
          }
          return .commit
        }
        return matches
      }
    }
    return matches ? .unlocked(key) : .locked(.wrongKey)
  }

  private enum KeyFileProblem: Error {
    case missing
    case lock(LockReason)
  }

  private static func loadKeyFile(_ path: String) -> Result<MasterKey, KeyFileProblem> {
    switch FilePermissions.readSmallFile(path) {
    case .missing:
      return .failure(.missing)
    case .unreadable:
      return .failure(.lock(.keyFileUnreadable))
    case .contents(let data):
      guard let key = MasterKey(fileContents: data) else { return .failure(.lock(.malformedKey)) }
      return .success(key)
    }
  }
}
