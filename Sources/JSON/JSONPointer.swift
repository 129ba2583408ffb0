import Foundation

/// RFC 6901 JSON Pointers built from coding paths, used in `data.field` of -32602 errors.
public enum JSONPointer {
  /// The pointer for `path`, relative to the params object ("" is the params object itself).
  public static func from(_ path: [any CodingKey]) -> String {
    path.reduce(into: "") { pointer, key in
      pointer += "/"
      if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index") {
        pointer += String(index)
      } else {
        pointer += escape(key.stringValue)
      }
    }
  }

  /// The pointer for a list of plain member names.
  public static func from(_ components: [String]) -> String {
    components.reduce(into: "") { $0 += "/" + escape($1) }
  }

  static func escape(_ token: String) -> String {
    token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}
