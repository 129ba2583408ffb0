/// Serialises `JSONValue`s compactly into UTF-8 bytes.
///
/// Output is one line: no insignificant whitespace, `/` left unescaped, control characters
/// escaped, and U+2028/U+2029 written as `\u2028`/`\u2029` so that readers which split on
/// them (Node's `readline`) cannot break a frame.
public struct JSONWriter {
  public internal(set) var bytes: [UInt8]

  public init(capacity: Int = 256) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  /// A writer appending to `bytes` (keeping its capacity).
  public init(adopting bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The compact encoding of `value`.
  public static func encode(_ value: JSONValue) -> [UInt8] {
    var writer = JSONWriter()
    writer.write(value)
    return writer.bytes
  }

  public mutating func write(_ value: JSONValue) {
    switch value {
    case .null: writeRaw("null")
    case .bool(let b): writeRaw(b ? "true" : "false")
    case .number(let token): writeRaw(token)
    case .string(let s): writeString(s)
    case .array(let items):
      bytes.append(UInt8(ascii: "["))
      for (i, item) in items.enumerated() {
        if i > 0 { bytes.append(UInt8(ascii: ",")) }
        write(item)
      }
      bytes.append(UInt8(ascii: "]"))
    case .object(let object):
      bytes.append(UInt8(ascii: "{"))
      for (i, member) in object.members.enumerated() {
        if i > 0 { bytes.append(UInt8(ascii: ",")) }
        writeString(member.key)
        bytes.append(UInt8(ascii: ":"))
        write(member.value)
      }
      bytes.append(UInt8(ascii: "}"))
    }
  }

  /// Appends bytes that are already valid JSON (a pre-encoded fragment).
  public mutating func writeRaw(_ fragment: some Sequence<UInt8>) {
    bytes.append(contentsOf: fragment)
  }

  public mutating func writeRaw(_ text: String) {
    bytes.append(contentsOf: text.utf8)
  }

  /// The bytes written, leaving the writer empty (so the caller holds the only reference).
  public mutating func takeBytes() -> [UInt8] {
    var taken: [UInt8] = []
    swap(&taken, &bytes)
    return taken
  }

  /// Appends an integer's decimal digits (as `String(value)` spells them).
  public mutating func writeInteger<I: FixedWidthInteger & SignedInteger>(_ value: I) {
    var magnitude = UInt64(value.magnitude)
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    if magnitude < 10 {
      bytes.append(0x30 + UInt8(magnitude))
      return
    }
    let first = bytes.count
    while magnitude > 0 {
      bytes.append(0x30 + UInt8(magnitude % 10))
      magnitude /= 10
    }
    bytes[first...].reverse()
  }

  public mutating func writeString(_ string: String) {
    var string = string
    string.withUTF8 { utf8 in
      bytes.append(UInt8(ascii: "\""))
      var runStart = 0
      var i = 0
      let count = utf8.count
      while i < count {
        let byte = utf8[i]
        // Most bytes need nothing: skip them before the switch.
        if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != 0xE2 {
          i += 1
          continue
        }
        var escape: StaticString? = nil
        var width = 1
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case 0x0A: escape = "\\n"
        case 0x0D: escape = "\\r"
        case 0x09: escape = "\\t"
        case 0x08: escape = "\\b"
        case 0x0C: escape = "\\f"
        case 0x00..<0x20: escape = ""
        case 0xE2 where i + 2 < count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
          escape = utf8[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
          width = 3
        default: break
        }
        if let escape {
          bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
          if escape.utf8CodeUnitCount == 0 {
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
          } else {
            bytes.append(contentsOf: UnsafeBufferPointer(start: escape.utf8Start, count: escape.utf8CodeUnitCount))
          }
          i += width
          runStart = i
        } else {
          i += 1
        }
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
      bytes.append(UInt8(ascii: "\""))
    }
  }
}
