/// JSON that is already encoded (compact, as `JSONWriter` and `JSONBytesEncoder` write it).
///
/// `JSONBytesEncoder` splices the bytes in as they are, so a large part of a reply can be encoded
/// piece by piece as its data arrives (and the data released) instead of all at the end. Other
/// encoders get the parsed value, which writes back to the same bytes.
public struct JSONFragment: Encodable, Sendable, Equatable {
  public let bytes: [UInt8]

  public init(bytes: [UInt8]) { self.bytes = bytes }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(try JSONParser.parse(bytes))
  }
}

/// Builds a JSON array element by element, each encoded as it is added.
public struct JSONArrayBuilder: Sendable {
  private var bytes: [UInt8] = [UInt8(ascii: "[")]
  public private(set) var count = 0

  public init() {}

  /// Appends the encoding of `element`.
  public mutating func append<T: Encodable>(_ element: T) throws {
    if count > 0 { bytes.append(UInt8(ascii: ",")) }
    try JSONBytesEncoder().encode(element, appendingTo: &bytes)
    count += 1
  }

  /// The array, taking the bytes (the builder is left empty).
  public mutating func finish() -> JSONFragment {
    var taken: [UInt8] = [UInt8(ascii: "[")]
    swap(&taken, &bytes)
    count = 0
    taken.append(UInt8(ascii: "]"))
    return JSONFragment(bytes: taken)
  }
}
