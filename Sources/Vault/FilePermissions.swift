import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX helpers that create the vault's folder and files private to the
/// current user from their first byte (no window where they are readable by
/// anyone else).
enum FilePermissions {
  /// Mode of the home folder when the vault creates it.
  static let directoryMode: mode_t = 0o700
  /// Mode of `switchboard.sqlite` (and, through SQLite, its `-wal`/`-shm`)
  /// and of `master.key`.
  static let fileMode: mode_t = 0o600

  /// Creates `url` as a 0700 folder if it does not exist (parents are created
  /// with default permissions). An existing folder is left as it is: the vault
  /// never changes the mode of a folder it did not create.
  static func ensurePrivateDirectory(_ url: URL) throws {
    let path = url.path
    if mkdir(path, directoryMode) == 0 {
      // umask may only remove bits; make it exactly 0700.
      _ = chmod(path, directoryMode)
      return
    }
    var code = errno
    if code == ENOENT {
      // Create the missing parents (e.g. ~/.local/share), then the folder itself.
      do {
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      } catch {
        throw VaultError.io("cannot create the parent folder of \(path)")
      }
      if mkdir(path, directoryMode) == 0 {
        _ = chmod(path, directoryMode)
        return
      }
      code = errno
    }
    if code == EEXIST {
      var info = stat()
      guard stat(path, &info) == 0 else {
        throw VaultError.io("cannot inspect \(path): \(describe(errno))")
      }
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw VaultError.io("\(path) exists and is not a folder")
      }
      return
    }
    throw VaultError.io("cannot create folder \(path): \(describe(code))")
  }

  /// Makes sure `path` exists as a regular file with mode 0600. A new file is
  /// created with `O_CREAT|O_EXCL` and mode 0600; an existing file owned by the
  /// current user whose mode gives anything to group or others is tightened to 0600.
  static func ensurePrivateFile(_ path: String) throws {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, fileMode)
    if fd >= 0 {
      _ = fchmod(fd, fileMode)
      _ = close(fd)
      return
    }
    let code = errno
    guard code == EEXIST else {
      throw VaultError.io("cannot create \(path): \(describe(code))")
    }
    tightenIfExists(path)
  }

  /// If `path` exists as a regular file (a link is never followed), is owned by the current user
  /// and is accessible to group or others, changes its mode to 0600. Errors are ignored (best effort).
  static func tightenIfExists(_ path: String) {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return }
    guard (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid() else { return }
    if (info.st_mode & 0o077) != 0 {
      _ = fchmod(fd, fileMode)
    }
  }

  /// Result of reading a small private file.
  enum ReadResult {
    case contents(Data)
    case missing
    case unreadable
  }

  /// Reads at most `limit` bytes of `path`; tightens a readable file's mode to
  /// 0600 when it is looser (and owned by us).
  static func readSmallFile(_ path: String, limit: Int = 4096) -> ReadResult {
    // O_NONBLOCK: a FIFO must not block us; O_NOFOLLOW: a link is never followed.
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
    if fd < 0 {
      return errno == ENOENT ? .missing : .unreadable
    }
    defer { _ = close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .unreadable }
    if info.st_uid == geteuid(), (info.st_mode & 0o077) != 0 {
      _ = fchmod(fd, fileMode)
    }
    var buffer = [UInt8](repeating: 0, count: limit + 1)
    var total = 0
    while total < buffer.count {
      let n = buffer.withUnsafeMutableBytes { raw in
        read(fd, raw.baseAddress! + total, raw.count - total)
      }
      if n < 0 {
        if errno == EINTR { continue }
        return .unreadable
      }
      if n == 0 { break }
      total += n
    }
    defer { for i in buffer.indices { buffer[i] = 0 } }
    return .contents(Data(buffer[0..<total]))
  }

  /// Outcome of `createExclusively`.
  enum CreateResult {
    case created
    case alreadyExists
  }

  /// Atomically creates `path` holding exactly `contents`, mode 0600: the bytes
  /// go to a private temporary file in the same folder which is then hard-linked
  /// into place (`link(2)` fails if `path` exists), so a concurrent reader never
  /// sees a partial file and two racing creators cannot both win.
  static func createExclusively(_ path: String, contents: Data) throws -> CreateResult {
    let folder = (path as NSString).deletingLastPathComponent
    let temp = folder + "/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
    let fd = open(temp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, fileMode)
    guard fd >= 0 else {
      throw VaultError.io("cannot create a file in \(folder): \(describe(errno))")
    }
    defer { _ = unlink(temp) }
    _ = fchmod(fd, fileMode)
    let written = contents.withUnsafeBytes { raw -> Bool in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
    let synced = fsync(fd) == 0
    _ = close(fd)
    guard written, synced else {
      throw VaultError.io("cannot write a file in \(folder)")
    }
    if link(temp, path) != 0 {
      let code = errno
      if code == EEXIST { return .alreadyExists }
      throw VaultError.io("cannot create \(path): \(describe(code))")
    }
    syncDirectory(folder)
    return .created
  }

  /// fsyncs a folder so a new entry in it survives a power loss (best effort).
  static func syncDirectory(_ path: String) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    _ = close(fd)
  }

  /// The permission bits of `path`, or nil if it cannot be inspected.
  static func mode(of path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
  }

  static func describe(_ code: Int32) -> String {
    String(cString: strerror(code))
  }
}
