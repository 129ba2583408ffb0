import Foundation

/// Builds request URLs from a base URL (which may carry a path prefix, e.g. a test server's
/// `/vapi`), a path and query items, percent-encoding every value strictly (RFC 3986 unreserved
/// characters only, so `+` in a timestamp or number becomes `%2B`).
enum URLBuilding {
  private static let unreserved: CharacterSet = {
    var set = CharacterSet()
    set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return set
  }()

  /// `value` encoded for use as one path segment or query value.
  static func encode(_ value: String) -> String {
    value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  /// `base` without trailing slashes.
  static func trimmedBase(_ base: URL) -> String {
    var s = base.absoluteString
    while s.hasSuffix("/") { s.removeLast() }
    return s
  }

  /// `base` + `path` (already encoded, starting with `/`) + `?query`.
  static func url(_ base: URL, path: String, query: [(String, String)] = []) -> URL? {
    var s = trimmedBase(base) + path
    if !query.isEmpty {
      s += "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
    return URL(string: s)
  }
}
