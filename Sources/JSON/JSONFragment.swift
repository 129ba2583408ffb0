import Synchronization

/// JSON that is already encoded (compact, as `JSONWriter` and `JSONBytesEncoder` write it).
///
/// `JSONBytesEncoder` splices the bytes in as they are, so a large part of a reply can be encoded
/// piece by piece as its data arrives (and the data released) instead of all at the end; a large
/// fragment's buffer even becomes the output's (what came before it is moved in front), so a
/// multi-megabyte listing is never copied into a second buffer. A fragment is meant to be encoded
/// once. Other encoders get the parsed value, which writes back to the same bytes.
public struct JSONFragment: Encodable, Sendable, Equatable {
  let storage: Storage

  public init(bytes: [UInt8]) { storage = Storage(bytes) }

  /// The encoded JSON.
  public var bytes: [UInt8] { storage.bytes.withLock { $0 } }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(try JSONParser.parse(bytes))
  }

  public static func == (a: JSONFragment, b: JSONFragment) -> Bool { a.bytes == b.bytes }

  /// The bytes, held once so that the encoder can take them over.
  final class Storage: Sendable {
    let bytes: Mutex<[UInt8]>
    init(_ bytes: [UInt8]) { self.bytes = Mutex(bytes) }

    /// The bytes, leaving the storage empty (so the caller holds the only reference).
    func take() -> [UInt8] {
      bytes.withLock { stored in
        var taken: [UInt8] = []
        swap(&taken, &stored)
        return taken
      }
    }

    func restore(_ restored: [UInt8]) { bytes.withLock { $0 = restored } }
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

  /// Appends an element written straight by `write` (a fast path for a hot element type; it must
  /// write exactly one compact JSON value, as `JSONBytesEncoder` would encode the element).
  public mutating func append(writing write: (inout JSONWriter) -> Void) {
    if count > 0 { bytes.append(UInt8(ascii: ",")) }
    var writer = JSONWriter(adopting: bytes)
    bytes = []
    write(&writer)
    bytes = writer.takeBytes()
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
