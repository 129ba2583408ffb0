/// Why a frame is not JSON. Reasons are fixed phrases: they never quote the input.
public struct JSONParseError: Error, Sendable, Equatable {
  public var reason: String
  public var offset: Int
  public init(_ reason: String, at offset: Int) {
    self.reason = reason
    self.offset = offset
  }
}

/// A strict RFC 8259 parser over raw bytes.
///
/// It validates UTF-8 itself (invalid sequences, overlong forms, lone surrogates,
/// including escaped ones, are errors rather than U+FFFD), keeps number tokens verbatim,
/// rejects duplicate object keys and bounds nesting depth. A leading UTF-8 BOM is skipped.
public struct JSONParser {
  /// The deepest nesting accepted; deeper input is an error, not a stack overflow.
  public static let maxDepth = 256

  public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
    let result: Result<JSONValue, JSONParseError>? = bytes.withContiguousStorageIfAvailable { buffer in
      var parser = Cursor(buffer)
      return Result { () throws(JSONParseError) in try parser.parseDocument() }
    }
    if let result { return try result.get() }
    let array = Array(bytes)
    return try array.withUnsafeBufferPointer { buffer throws(JSONParseError) in
      var parser = Cursor(buffer)
      return try parser.parseDocument()
    }
  }
}

@usableFromInline
struct Cursor {
  @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
  @usableFromInline var index = 0
  @usableFromInline var depth = 0

  @inlinable init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONParseError) -> JSONValue {
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    skipWhitespace()
    let value = try parseValue()
    skipWhitespace()
    guard index == bytes.count else { throw JSONParseError("unexpected data after the JSON value", at: index) }
    return value
  }

  @inlinable @inline(__always) mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  mutating func parseValue() throws(JSONParseError) -> JSONValue {
    guard index < bytes.count else { throw JSONParseError("unexpected end of input", at: index) }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"):
      try expectLiteral("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expectLiteral("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expectLiteral("null")
      return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
    default: throw JSONParseError("unexpected character", at: index)
    }
  }

  @inlinable mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
    let count = literal.utf8CodeUnitCount
    guard index + count <= bytes.count else { throw JSONParseError("unexpected end of input", at: index) }
    let pointer = literal.utf8Start
    for offset in 0..<count where bytes[index + offset] != pointer[offset] {
      throw JSONParseError("invalid literal", at: index)
    }
    index += count
  }

  @inlinable mutating func enter() throws(JSONParseError) {
    depth += 1
    if depth > JSONParser.maxDepth { throw JSONParseError("nesting too deep", at: index) }
  }

  mutating func parseObject() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var object = JSONObject()
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(object)
    }
    var seen: Set<String>? = nil
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw JSONParseError("expected an object key", at: index)
      }
      let keyOffset = index
      let key = try parseString()
      // Small objects: linear scan; larger ones switch to a set.
      if object.count < 12 {
        for member in object.members where member.key == key {
          throw JSONParseError("duplicate object key", at: keyOffset)
        }
      } else {
        if seen == nil { seen = Set(object.keys) }
        if !seen!.insert(key).inserted { throw JSONParseError("duplicate object key", at: keyOffset) }
      }
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw JSONParseError("expected ':' after an object key", at: index)
      }
      index += 1
      skipWhitespace()
      let value = try parseValue()
      object.append(key, value)
      if seen != nil { seen!.insert(key) }
      skipWhitespace()
      guard index < bytes.count else { throw JSONParseError("unexpected end of input", at: index) }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(object)
      }
      throw JSONParseError("expected ',' or '}' in an object", at: index)
    }
  }

  mutating func parseArray() throws(JSONParseError) -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var array: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw JSONParseError("unexpected end of input", at: index) }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(array)
      }
      throw JSONParseError("expected ',' or ']' in an array", at: index)
    }
  }

  @inlinable mutating func parseNumber() throws(JSONParseError) -> String {
    let start = index
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count else { throw JSONParseError("invalid number", at: start) }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
    } else if isDigit(bytes[index]) {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    } else {
      throw JSONParseError("invalid number", at: start)
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw JSONParseError("invalid number", at: start) }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw JSONParseError("invalid number", at: start) }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
  }

  @inlinable @inline(__always) func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  /// Parses a string starting at the opening quote.
  @usableFromInline mutating func parseString() throws(JSONParseError) -> String {
    index += 1
    let start = index
    // Fast path: printable ASCII without escapes.
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        index += 1
        return s
      }
      if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
      index += 1
    }
    var scratch: [UInt8] = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    while index < bytes.count {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "\""):
        index += 1
        return String(decoding: scratch, as: UTF8.self)
      case UInt8(ascii: "\\"):
        try parseEscape(into: &scratch)
      case 0..<0x20:
        throw JSONParseError("control character in a string", at: index)
      case 0x80...:
        try copyUTF8Sequence(into: &scratch)
      default:
        scratch.append(byte)
        index += 1
      }
    }
    throw JSONParseError("unterminated string", at: start - 1)
  }

  mutating func parseEscape(into scratch: inout [UInt8]) throws(JSONParseError) {
    let escapeStart = index
    index += 1
    guard index < bytes.count else { throw JSONParseError("unterminated string", at: escapeStart) }
    let code = bytes[index]
    index += 1
    switch code {
    case UInt8(ascii: "\""): scratch.append(0x22)
    case UInt8(ascii: "\\"): scratch.append(0x5C)
    case UInt8(ascii: "/"): scratch.append(0x2F)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      var scalar = try parseHex4(at: escapeStart)
      if (0xD800...0xDBFF).contains(scalar) {
        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
          throw JSONParseError("lone surrogate escape", at: escapeStart)
        }
        index += 2
        let low = try parseHex4(at: escapeStart)
        guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError("lone surrogate escape", at: escapeStart) }
        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
      } else if (0xDC00...0xDFFF).contains(scalar) {
        throw JSONParseError("lone surrogate escape", at: escapeStart)
      }
      appendUTF8(scalar, to: &scratch)
    default:
      throw JSONParseError("invalid escape", at: escapeStart)
    }
  }

  mutating func parseHex4(at escapeStart: Int) throws(JSONParseError) -> UInt32 {
    guard index + 4 <= bytes.count else { throw JSONParseError("invalid unicode escape", at: escapeStart) }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let byte = bytes[index]
      let digit: UInt32
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
      default: throw JSONParseError("invalid unicode escape", at: escapeStart)
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80:
      out.append(UInt8(scalar))
    case 0x80..<0x800:
      out.append(UInt8(0xC0 | (scalar >> 6)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      out.append(UInt8(0xE0 | (scalar >> 12)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      out.append(UInt8(0xF0 | (scalar >> 18)))
      out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }

  /// Validates one multi-byte UTF-8 sequence (RFC 3629 table) and copies it.
  mutating func copyUTF8Sequence(into out: inout [UInt8]) throws(JSONParseError) {
    let start = index
    let lead = bytes[index]
    let length: Int
    var lowerBound: UInt8 = 0x80
    var upperBound: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      lowerBound = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      upperBound = 0x9F
    case 0xF0:
      length = 4
      lowerBound = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      upperBound = 0x8F
    default: throw JSONParseError("invalid UTF-8", at: start)
    }
    guard start + length <= bytes.count else { throw JSONParseError("invalid UTF-8", at: start) }
    let second = bytes[start + 1]
    guard second >= lowerBound, second <= upperBound else { throw JSONParseError("invalid UTF-8", at: start) }
    for offset in 2..<max(2, length) where bytes[start + offset] & 0xC0 != 0x80 {
      throw JSONParseError("invalid UTF-8", at: start)
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + length)]))
    index += length
  }
}
