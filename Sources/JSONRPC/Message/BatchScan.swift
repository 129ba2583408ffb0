/// Counts the items of a JSON array frame without parsing it, so an oversized batch is refused
/// before it costs memory.
enum BatchScan {
  /// The number of top-level items if `bytes` starts (after whitespace) with `[`, stopping once
  /// `limit` is passed (returns `limit + 1`); nil if it is not an array. Malformed input is counted
  /// loosely; the parser judges it afterwards.
  static func itemCount(_ bytes: [UInt8], limit: Int) -> Int? {
    var i = 0
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
    guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return nil }
    var depth = 0
    var inString = false
    var items = 0
    var sawValue = false
    while i < bytes.count {
      let byte = bytes[i]
      if inString {
        if byte == UInt8(ascii: "\\") {
          i += 1
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
      } else {
        switch byte {
        case UInt8(ascii: "\""):
          inString = true
          if depth == 1 { sawValue = true }
        case UInt8(ascii: "["), UInt8(ascii: "{"):
          if depth == 1 { sawValue = true }
          depth += 1
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
          depth -= 1
          if depth == 0 { return items + (sawValue ? 1 : 0) }
        case UInt8(ascii: ","):
          if depth == 1 {
            items += 1
            if items > limit { return limit + 1 }
          }
        case 0x20, 0x09, 0x0D, 0x0A:
          break
        default:
          if depth == 1 { sawValue = true }
        }
      }
      i += 1
    }
    return items + (sawValue ? 1 : 0)
  }
}
