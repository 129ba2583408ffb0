import Foundation

/// Reads JSON selectively: walks objects and arrays in document order, decodes only the members a
/// caller asks for and skips the rest without building them.
///
/// For large upstream pages where a few fields of each item matter (a Twilio number has some 30
/// members; Switchboard needs 4), this avoids materialising the whole document. Every value is
/// still checked to be well formed; a skipped string's escapes are not decoded.
public struct JSONReader {
  @usableFromInline var cursor: Cursor

  @inlinable init(_ cursor: Cursor) { self.cursor = cursor }

  /// Runs `body` over the document in `bytes`, then checks nothing but whitespace follows.
  @inlinable public static func read<R>(
    _ bytes: some Collection<UInt8>, _ body: (inout JSONReader) throws -> R
  ) throws -> R {
    let run = { (buffer: UnsafeBufferPointer<UInt8>) throws -> R in
      var reader = JSONReader(Cursor(buffer))
      if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { reader.cursor.index = 3 }
      reader.cursor.skipWhitespace()
      let result = try body(&reader)
      reader.cursor.skipWhitespace()
      guard reader.cursor.index == buffer.count else {
        throw JSONParseError("unexpected data after the JSON value", at: reader.cursor.index)
      }
      return result
    }
    if let result = try bytes.withContiguousStorageIfAvailable(run) { return result }
    return try Array(bytes).withUnsafeBufferPointer(run)
  }

  /// Whether the next value is `null`.
  @inlinable public var isNull: Bool {
    cursor.index < cursor.bytes.count && cursor.bytes[cursor.index] == UInt8(ascii: "n")
  }

  /// Calls `member` for each member of an object, in order; `member` must read or skip the value.
  @inlinable public mutating func readObject(_ member: (JSONKey, inout JSONReader) throws -> Void) throws {
    try expect(UInt8(ascii: "{"), "expected an object")
    try cursor.enter()
    defer { cursor.depth -= 1 }
    cursor.skipWhitespace()
    if peek == UInt8(ascii: "}") {
      cursor.index += 1
      return
    }
    while true {
      cursor.skipWhitespace()
      let key = try readKey()
      cursor.skipWhitespace()
      try expect(UInt8(ascii: ":"), "expected ':' after an object key")
      cursor.skipWhitespace()
      try member(key, &self)
      cursor.skipWhitespace()
      if peek == UInt8(ascii: ",") {
        cursor.index += 1
        continue
      }
      try expect(UInt8(ascii: "}"), "expected ',' or '}' in an object")
      return
    }
  }

  /// Calls `element` for each element of an array, in order; `element` must read or skip it.
  @inlinable public mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
    try expect(UInt8(ascii: "["), "expected an array")
    try cursor.enter()
    defer { cursor.depth -= 1 }
    cursor.skipWhitespace()
    if peek == UInt8(ascii: "]") {
      cursor.index += 1
      return
    }
    while true {
      cursor.skipWhitespace()
      try element(&self)
      cursor.skipWhitespace()
      if peek == UInt8(ascii: ",") {
        cursor.index += 1
        continue
      }
      try expect(UInt8(ascii: "]"), "expected ',' or ']' in an array")
      return
    }
  }

  @inlinable public mutating func readString() throws -> String {
    guard peek == UInt8(ascii: "\"") else { throw JSONParseError("expected a string", at: cursor.index) }
    return try cursor.parseString()
  }

  /// A string, or nil for `null`.
  @inlinable public mutating func readOptionalString() throws -> String? {
    if isNull {
      try cursor.expectLiteral("null")
      return nil
    }
    return try readString()
  }

  @inlinable public mutating func readBool() throws -> Bool {
    switch peek {
    case UInt8(ascii: "t"):
      try cursor.expectLiteral("true")
      return true
    case UInt8(ascii: "f"):
      try cursor.expectLiteral("false")
      return false
    default: throw JSONParseError("expected a boolean", at: cursor.index)
    }
  }

  /// A number's token, or nil for `null`.
  @inlinable public mutating func readOptionalNumber() throws -> String? {
    if isNull {
      try cursor.expectLiteral("null")
      return nil
    }
    guard let byte = peek, byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) else {
      throw JSONParseError("expected a number", at: cursor.index)
    }
    return try cursor.parseNumber()
  }

  /// Steps over the next value without building it.
  @inlinable public mutating func skipValue() throws {
    guard let byte = peek else { throw JSONParseError("unexpected end of input", at: cursor.index) }
    switch byte {
    case UInt8(ascii: "{"): try readObject { _, reader in try reader.skipValue() }
    case UInt8(ascii: "["): try readArray { reader in try reader.skipValue() }
    case UInt8(ascii: "\""): try skipString()
    case UInt8(ascii: "t"): try cursor.expectLiteral("true")
    case UInt8(ascii: "f"): try cursor.expectLiteral("false")
    case UInt8(ascii: "n"): try cursor.expectLiteral("null")
    default: _ = try readOptionalNumber()
    }
  }

  /// A reader at the value of the last `"key":` in the rest of the document, found by searching
  /// back from the end without parsing (a top-level member that follows a large array is found
  /// at once), or nil. A hint only: the match may be a nested object's member, so what is read
  /// there must be confirmed by the real parse. (The bytes `"key":` cannot occur inside a string,
  /// where a quote is always escaped.)
  public func lastMemberValueHint(named key: StaticString) -> JSONReader? {
    let bytes = cursor.bytes
    let name = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
    var end = bytes.count - name.count - 2
    while end >= cursor.index {
      defer { end -= 1 }
      guard bytes[end] == UInt8(ascii: "\""), bytes[end + name.count + 1] == UInt8(ascii: "\"") else { continue }
      var matches = true
      for offset in 0..<name.count where bytes[end + 1 + offset] != name[offset] {
        matches = false
        break
      }
      guard matches else { continue }
      var reader = self
      reader.cursor.index = end + name.count + 2
      reader.cursor.skipWhitespace()
      guard reader.peek == UInt8(ascii: ":") else { continue }
      reader.cursor.index += 1
      reader.cursor.skipWhitespace()
      return reader
    }
    return nil
  }

  /// Steps over the next value checking only string boundaries and bracket nesting (keys,
  /// numbers, literals and string contents inside are not validated): for a quick first pass
  /// whose findings are hints only, with the real parse of the same bytes still to come (and to
  /// throw). Strings are stepped over with `memchr`.
  @inlinable public mutating func skipValueStructurally() throws {
    guard let first = peek, first == UInt8(ascii: "{") || first == UInt8(ascii: "["),
      let base = cursor.bytes.baseAddress
    else {
      try skipValue()
      return
    }
    let start = cursor.index
    let count = cursor.bytes.count
    var index = start
    var depth = 0
    while index < count {
      switch base[index] {
      case UInt8(ascii: "\""):
        // The closing quote is the next one not escaped (preceded by an even run of backslashes).
        var from = index + 1
        while true {
          guard let found = memchr(base + from, 0x22, count - from) else {
            throw JSONParseError("unterminated string", at: index)
          }
          let quote = UnsafeRawPointer(found) - UnsafeRawPointer(base)
          var backslashes = 0
          while quote - 1 - backslashes > index && base[quote - 1 - backslashes] == UInt8(ascii: "\\") {
            backslashes += 1
          }
          from = quote + 1
          if backslashes % 2 == 0 { break }
        }
        index = from
        continue
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 {
          cursor.index = index + 1
          return
        }
      default:
        break
      }
      index += 1
    }
    throw JSONParseError("unexpected end of input", at: start)
  }

  @inlinable var peek: UInt8? { cursor.index < cursor.bytes.count ? cursor.bytes[cursor.index] : nil }

  @inlinable mutating func expect(_ byte: UInt8, _ reason: String) throws {
    guard peek == byte else { throw JSONParseError(reason, at: cursor.index) }
    cursor.index += 1
  }

  /// A key, as raw bytes when it has no escapes (the common case: no String is made).
  @inlinable mutating func readKey() throws -> JSONKey {
    guard peek == UInt8(ascii: "\"") else { throw JSONParseError("expected an object key", at: cursor.index) }
    let start = cursor.index + 1
    var index = start
    while index < cursor.bytes.count {
      let byte = cursor.bytes[index]
      if byte == UInt8(ascii: "\"") {
        cursor.index = index + 1
        return JSONKey(raw: UnsafeBufferPointer(rebasing: cursor.bytes[start..<index]))
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
      index += 1
    }
    return JSONKey(decoded: try cursor.parseString())
  }

  /// Steps over a string, eight bytes at a time while none of them is a quote, a backslash or a
  /// control character.
  @inlinable mutating func skipString() throws {
    let start = cursor.index
    var index = start + 1
    let bytes = cursor.bytes
    let count = bytes.count
    guard let base = bytes.baseAddress else { throw JSONParseError("unterminated string", at: start) }
    while index < count {
      while index + 8 <= count,
        !Self.mayEndOrEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
      {
        index += 8
      }
      guard index < count else { break }
      switch bytes[index] {
      case UInt8(ascii: "\""):
        cursor.index = index + 1
        return
      case UInt8(ascii: "\\"):
        index += 2
      case 0..<0x20:
        throw JSONParseError("control character in a string", at: index)
      default:
        index += 1
      }
    }
    throw JSONParseError("unterminated string", at: start)
  }

  /// Whether any of the eight bytes in `word` is a quote, a backslash or below 0x20 (never wrong when it says no).
  @inlinable @inline(__always) static func mayEndOrEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = word ^ (ones &* 0x22)
    let backslash = word ^ (ones &* 0x5C)
    let hasQuote = (quote &- ones) & ~quote & highs
    let hasBackslash = (backslash &- ones) & ~backslash & highs
    let hasControl = (word &- ones &* 0x20) & ~word & highs
    return (hasQuote | hasBackslash | hasControl) != 0
  }
}

/// An object key as `JSONReader` found it; compare it with `==` to a literal. It points into the
/// document and is valid only inside the callback it was given to.
public struct JSONKey {
  @usableFromInline let raw: UnsafeBufferPointer<UInt8>?
  @usableFromInline let decoded: String?

  @inlinable init(raw: UnsafeBufferPointer<UInt8>) {
    self.raw = raw
    self.decoded = nil
  }

  @inlinable init(decoded: String) {
    self.raw = nil
    self.decoded = decoded
  }

  /// The key as a string.
  @inlinable public var string: String {
    if let decoded { return decoded }
    return String(decoding: raw!, as: UTF8.self)
  }

  @inlinable public static func == (key: JSONKey, literal: StaticString) -> Bool {
    if let decoded = key.decoded { return decoded == literal.description }
    let raw = key.raw!
    guard raw.count == literal.utf8CodeUnitCount else { return false }
    let pointer = literal.utf8Start
    for index in 0..<raw.count where raw[index] != pointer[index] { return false }
    return true
  }
}
