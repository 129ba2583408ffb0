import Foundation

/// Writes one JSON object with its keys in the order given, byte for byte: request bodies must
/// carry exactly the intended keys (Vapi answers 400 to any unknown property).
struct JSONObjectWriter {
  /// A value in a written object.
  enum Value {
    case string(String)
    case bool(Bool)
    case null
    case object(JSONObjectWriter)
  }

  private var bytes: [UInt8] = [UInt8(ascii: "{")]
  private var empty = true

  init() {}

  /// Appends `"key": value`.
  mutating func add(_ key: String, _ value: Value) {
    if !empty { bytes.append(UInt8(ascii: ",")) }
    empty = false
    Self.appendString(key, to: &bytes)
    bytes.append(UInt8(ascii: ":"))
    switch value {
    case .string(let s): Self.appendString(s, to: &bytes)
    case .bool(let b): bytes.append(contentsOf: Array((b ? "true" : "false").utf8))
    case .null: bytes.append(contentsOf: Array("null".utf8))
    case .object(let o): bytes.append(contentsOf: o.finished)
    }
  }

  /// The object's bytes.
  var finished: [UInt8] { bytes + [UInt8(ascii: "}")] }

  /// The object as `Data`.
  var data: Data { Data(finished) }

  private static let hex = Array("0123456789abcdef".utf8)

  private static func appendString(_ s: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for c in s.utf8 {
      switch c {
      case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      case 0..<0x20:
        out.append(contentsOf: Array("\\u00".utf8))
        out.append(hex[Int(c >> 4)])
        out.append(hex[Int(c & 0xF)])
      default: out.append(c)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
