import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the home folder or one of the store's files is refused (as OpenSSH refuses a private key
/// that others can read): whoever can write the folder or the files can plant a master key and
/// read every credential sealed afterwards.
public enum UnsafeReason: String, Sendable, Equatable, Codable, CaseIterable {
  /// Owned by another user.
  case ownedByAnotherUser
  /// Writable by the group or by others.
  case writableByOthers
  /// `master.key` is readable by the group or by others.
  case keyReadableByOthers
  /// One of the store's files is a symbolic link (never followed).
  case symbolicLink
}

/// The checks `Vault.open` makes before it reads or writes anything in the home folder.
enum HomeSafety {
  /// The folder, after resolving symbolic links (a linked home is allowed, but the folder it leads
  /// to is checked): owned by the current user and writable by nobody else.
  static func checkFolder(_ path: String) throws {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw VaultError.io("cannot inspect \(path): \(FilePermissions.describe(errno))")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { throw VaultError.io("\(path) exists and is not a folder") }
    guard info.st_uid == geteuid() else { throw VaultError.unsafe(path: path, reason: .ownedByAnotherUser) }
    guard (info.st_mode & 0o022) == 0 else { throw VaultError.unsafe(path: path, reason: .writableByOthers) }
  }

  /// One of the store's files, if it exists: not a link, owned by the current user, writable by
  /// nobody else, and, when `secret`, readable by nobody else either. (Something that is not a
  /// regular file is left to the code that reads it: the key then locks the store as unreadable.)
  static func checkFile(_ path: String, secret: Bool) throws {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT { return }
      throw VaultError.io("cannot inspect \(path): \(FilePermissions.describe(errno))")
    }
    let type = info.st_mode & S_IFMT
    guard type != S_IFLNK else { throw VaultError.unsafe(path: path, reason: .symbolicLink) }
    guard type == S_IFREG else { return }
    guard info.st_uid == geteuid() else { throw VaultError.unsafe(path: path, reason: .ownedByAnotherUser) }
    guard (info.st_mode & 0o022) == 0 else { throw VaultError.unsafe(path: path, reason: .writableByOthers) }
    if secret, (info.st_mode & 0o044) != 0 { throw VaultError.unsafe(path: path, reason: .keyReadableByOthers) }
  }

  /// `path` with every symbolic link resolved (the path itself when it cannot be resolved).
  static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }
}
