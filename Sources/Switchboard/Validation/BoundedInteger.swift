import JSON
import JSONRPC

/// A kind of integer param declared once, as a type: its range (published as `minimum`/`maximum`)
/// and why a value outside it is refused.
protocol BoundedInteger: ParamValue, Hashable {
  static var range: ClosedRange<Int> { get }
  /// Why a value outside `range` is refused.
  static var reason: String { get }
  var value: Int { get }
  /// A value known to be in range (a kind's memberwise initializer).
  init(value: Int)
}

extension BoundedInteger {
  static var schema: JSONSchema { .integer(minimum: range.lowerBound, maximum: range.upperBound) }

  /// An integer (`3.0` counts) within `range`.
  static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
    let value = try container.decode(Int.self, forKey: key)
    guard range.contains(value) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    return Self(value: value)
  }
}
