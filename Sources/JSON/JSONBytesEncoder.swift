/// Encodes `Encodable` values straight into compact JSON bytes, with no intermediate tree.
///
/// The output is byte for byte what `JSONWriter.encode(JSONValueEncoder().encode(value))` gives:
/// members in encoding order, `encodeIfPresent` of `nil` left out, `encodeNil` written as `null`,
/// a value that encodes nothing written as `{}`. Containers are written in the order they are
/// used, as synthesized `Encodable` code does; an encoding that is not written in order (a
/// container used after a later sibling started, a key encoded twice, `superEncoder`, two values
/// in one single-value container) or that throws is redone through `JSONValueEncoder`, so the
/// result (or the error) is always the same as that path's.
public struct JSONBytesEncoder: Sendable {
  public init() {}

  /// The encoding of `value`.
  public func encode<T: Encodable>(_ value: T, capacity: Int = 256) throws -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(capacity)
    try encode(value, appendingTo: &bytes)
    return bytes
  }

  /// Appends the encoding of `value` to `bytes` (which keeps its capacity: pre-size it to spare copies).
  public func encode<T: Encodable>(_ value: T, appendingTo bytes: inout [UInt8]) throws {
    if let value = value as? JSONValue {
      var writer = JSONWriter(adopting: bytes)
      bytes = []
      writer.write(value)
      bytes = writer.takeBytes()
      return
    }
    let start = bytes.count
    var taken: [UInt8] = []
    swap(&taken, &bytes)
    let state = StreamState(JSONWriter(adopting: consume taken))
    var failed = false
    do {
      try state.encodeValue(value, in: CodingPathTail(base: [], last: nil), at: nil)
      state.close(downTo: 0)
      failed = state.unsupported
    } catch {
      failed = true
    }
    bytes = state.takeBytes()
    if failed {
      // Out of order or throwing: the tree path decides (and throws the same error, if any).
      state.restoreAdoptions(from: bytes)
      bytes.removeSubrange(start...)
      let fallback = JSONWriter.encode(try JSONValueEncoder().encode(value))
      bytes.append(contentsOf: fallback)
    }
  }
}

/// A coding path as a prefix plus an optional last key, joined only when someone asks.
struct CodingPathTail {
  let base: [any CodingKey]
  let last: (any CodingKey)?

  var full: [any CodingKey] {
    guard let last else { return base }
    var path = base
    path.append(last)
    return path
  }

  func appending(_ key: any CodingKey) -> CodingPathTail { CodingPathTail(base: full, last: key) }
}

/// An array index in a coding path, spelled only when asked (small enough to sit in an existential inline).
struct IndexKey: CodingKey {
  let index: Int
  init(index: Int) { self.index = index }
  init?(stringValue: String) { nil }
  init?(intValue: Int) { self.index = intValue }
  var intValue: Int? { index }
  var stringValue: String { String(index) }
}

/// The shared state of one encoding: the output and the containers still open, innermost last.
final class StreamState {
  struct Frame {
    let id: Int
    let isObject: Bool
    /// The encoder slot whose container this is (for a second request of the same container).
    let owner: Int
    var count = 0
    /// Where this object's keys start in `keys`.
    let keysStart: Int
  }

  var writer: JSONWriter
  var frames: [Frame] = []
  /// The keys written so far in every open object (each object's after its parent's).
  var keys: [String] = []
  var serial = 0
  /// Set when the encoding was not written in order; the caller then redoes it another way.
  var unsupported = false

  init(_ writer: JSONWriter) {
    self.writer = writer
    frames.reserveCapacity(16)
    keys.reserveCapacity(64)
  }

  func takeBytes() -> [UInt8] { writer.takeBytes() }

  func nextSerial() -> Int {
    serial += 1
    return serial
  }

  /// Closes every container deeper than `depth` open ones.
  @inline(__always)
  func close(downTo depth: Int) {
    while frames.count > depth {
      let frame = frames.removeLast()
      if frame.isObject {
        writer.bytes.append(UInt8(ascii: "}"))
        keys.removeSubrange(frame.keysStart...)
      } else {
        writer.bytes.append(UInt8(ascii: "]"))
      }
    }
  }

  func open(isObject: Bool, owner: Int) -> (index: Int, id: Int) {
    let id = nextSerial()
    frames.append(Frame(id: id, isObject: isObject, owner: owner, keysStart: keys.count))
    writer.bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
    return (frames.count - 1, id)
  }

  /// Makes frame `index` (which must still be `id`) the innermost, ready for its next item; false
  /// (and `unsupported`) when that container was already closed.
  @inline(__always)
  func resume(_ index: Int, _ id: Int) -> Bool {
    guard !unsupported else { return false }
    guard index < frames.count, frames[index].id == id else {
      unsupported = true
      return false
    }
    close(downTo: index + 1)
    return true
  }

  /// Starts the next member of object frame `index` (already resumed): separator, key, colon.
  func beginMember(_ index: Int, key: String) -> Bool {
    let start = frames[index].keysStart
    var i = start
    while i < keys.count {
      if keys[i] == key {
        unsupported = true
        return false
      }
      i += 1
    }
    keys.append(key)
    if frames[index].count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
    frames[index].count += 1
    writer.writeString(key)
    writer.bytes.append(UInt8(ascii: ":"))
    return true
  }

  /// Starts the next element of array frame `index` (already resumed).
  func beginElement(_ index: Int) {
    if frames[index].count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
    frames[index].count += 1
  }

  /// Writes one value at the current position: scalars directly, anything else through its own
  /// `encode(to:)` into a fresh slot, closed once that returns.
  func encodeValue<T: Encodable>(_ value: T, in parent: CodingPathTail, at key: (any CodingKey)?) throws {
    if writeScalar(value) { return }
    let depth = frames.count
    let start = writer.bytes.count
    let path = key.map { parent.appending($0) } ?? parent
    let encoder = StreamEncoder(state: self, path: path, slot: nextSerial(), depth: depth, start: start)
    try value.encode(to: encoder)
    if unsupported { return }
    if writer.bytes.count == start && frames.count == depth {
      writer.bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
    }
    close(downTo: depth)
  }

  /// Writes `value` if it is a scalar the tree path also writes directly; false otherwise.
  @inline(__always)
  func writeScalar<T: Encodable>(_ value: T) -> Bool {
    if T.self == String.self {
      writer.writeString(unsafeBitCast(value, to: String.self))
    } else if T.self == Bool.self {
      writeBool(unsafeBitCast(value, to: Bool.self))
    } else if T.self == Int.self {
      writer.writeInteger(unsafeBitCast(value, to: Int.self))
    } else if T.self == Int64.self {
      writer.writeInteger(unsafeBitCast(value, to: Int64.self))
    } else if T.self == Double.self {
      return writeDouble(unsafeBitCast(value, to: Double.self))
    } else if T.self == JSONValue.self {
      writer.write(value as! JSONValue)
    } else if T.self == JSONFragment.self {
      writeFragment(value as! JSONFragment)
    } else if T.self == Int32.self || T.self == UInt.self || T.self == UInt64.self || T.self == UInt32.self
      || T.self == Int16.self || T.self == UInt16.self || T.self == Int8.self || T.self == UInt8.self
    {
      // The tree path never handled these (it recursed); written as the integers they are.
      writer.writeRaw(String(describing: value))
    } else if T.self == Float.self {
      return writeDouble(Double(unsafeBitCast(value, to: Float.self)))
    } else {
      return false
    }
    return true
  }

  /// A fragment's bytes: a large one (next to what is written so far) becomes the output buffer,
  /// with the output so far moved in front of it; a small one is copied.
  func writeFragment(_ fragment: JSONFragment) {
    var taken = fragment.storage.take()
    if taken.count >= Self.adoptedFragmentBytes && writer.bytes.count <= taken.count / 8 {
      let range = writer.bytes.count..<(writer.bytes.count + taken.count)
      // In place when the fragment's buffer has room (it usually has: arrays grow geometrically).
      taken.insert(contentsOf: writer.bytes, at: 0)
      writer.bytes = []
      swap(&writer.bytes, &taken)
      adoptions.append(Adoption(storage: fragment.storage, range: range))
    } else {
      writer.writeRaw(taken)
      fragment.storage.restore(taken)
    }
  }

  /// Fragments at least this large are adopted rather than copied.
  static let adoptedFragmentBytes = 64 << 10

  /// A fragment whose bytes became the output's, at `range` of it.
  struct Adoption {
    let storage: JSONFragment.Storage
    let range: Range<Int>
  }
  var adoptions: [Adoption] = []

  /// Gives adopted fragments their bytes back (from `output`), before the tree path encodes them.
  func restoreAdoptions(from output: [UInt8]) {
    for adoption in adoptions { adoption.storage.restore(Array(output[adoption.range])) }
    adoptions = []
  }

  @inline(__always)
  func writeBool(_ value: Bool) {
    writer.writeRaw(value ? "true" : "false")
  }

  /// Integral doubles below 1e15 as integers, others as Swift prints them; non-finite is an error
  /// (left to the tree path to throw).
  func writeDouble(_ value: Double) -> Bool {
    guard value.isFinite else {
      unsupported = true
      return true
    }
    if value.rounded() == value && abs(value) < 1e15 {
      writer.writeInteger(Int64(value))
    } else {
      writer.writeRaw(String(value))
    }
    return true
  }
}

/// The `Encoder` of one value slot.
struct StreamEncoder: Encoder {
  let state: StreamState
  let path: CodingPathTail
  /// This slot's identity, recorded as the owner of the container it opens.
  let slot: Int
  /// How many containers were open when the slot began (its own container goes at this index).
  let depth: Int
  /// Where its value begins in the output.
  let start: Int

  var codingPath: [any CodingKey] { path.full }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  /// The frame of this slot's container: the one it opened before, or a new one when nothing
  /// has been written for the slot yet.
  private func frame(isObject: Bool) -> (index: Int, id: Int) {
    guard !state.unsupported else { return (-1, -1) }
    if depth < state.frames.count, state.frames[depth].owner == slot {
      guard state.frames[depth].isObject == isObject else {
        state.unsupported = true
        return (-1, -1)
      }
      return (depth, state.frames[depth].id)
    }
    guard state.frames.count == depth, state.writer.bytes.count == start else {
      state.unsupported = true
      return (-1, -1)
    }
    return state.open(isObject: isObject, owner: slot)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let (index, id) = frame(isObject: true)
    return KeyedEncodingContainer(KeyedStreamContainer<Key>(state: state, path: path, index: index, id: id))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let (index, id) = frame(isObject: false)
    return UnkeyedStreamContainer(state: state, path: path, index: index, id: id)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleStreamContainer(encoder: self)
  }
}

/// Writes object members in encoding order.
struct KeyedStreamContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let state: StreamState
  let path: CodingPathTail
  let index: Int
  let id: Int

  var codingPath: [any CodingKey] { path.full }

  @inline(__always)
  private func member(_ key: Key) -> Bool {
    state.resume(index, id) && state.beginMember(index, key: key.stringValue)
  }

  mutating func encodeNil(forKey key: Key) throws {
    if member(key) { state.writer.writeRaw("null") }
  }
  mutating func encode(_ value: String, forKey key: Key) throws {
    if member(key) { state.writer.writeString(value) }
  }
  mutating func encode(_ value: Bool, forKey key: Key) throws {
    if member(key) { state.writeBool(value) }
  }
  mutating func encode(_ value: Int, forKey key: Key) throws {
    if member(key) { state.writer.writeInteger(value) }
  }
  mutating func encode(_ value: Double, forKey key: Key) throws {
    if member(key) { _ = state.writeDouble(value) }
  }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
    if let value, member(key) { state.writer.writeString(value) }
  }
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
    if let value, member(key) { state.writeBool(value) }
  }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
    if let value, member(key) { state.writer.writeInteger(value) }
  }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    if member(key) { try state.encodeValue(value, in: path, at: key) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    guard member(key) else {
      return KeyedEncodingContainer(KeyedStreamContainer<NestedKey>(state: state, path: path, index: -1, id: -1))
    }
    let (index, id) = state.open(isObject: true, owner: state.nextSerial())
    return KeyedEncodingContainer(
      KeyedStreamContainer<NestedKey>(state: state, path: path.appending(key), index: index, id: id))
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    guard member(key) else { return UnkeyedStreamContainer(state: state, path: path, index: -1, id: -1) }
    let (index, id) = state.open(isObject: false, owner: state.nextSerial())
    return UnkeyedStreamContainer(state: state, path: path.appending(key), index: index, id: id)
  }

  // A super encoder's value is written after this call returns: not in order, so the tree path takes it.
  mutating func superEncoder() -> any Encoder { unsupportedEncoder() }
  mutating func superEncoder(forKey key: Key) -> any Encoder { unsupportedEncoder() }

  private func unsupportedEncoder() -> any Encoder {
    state.unsupported = true
    return StreamEncoder(state: state, path: path, slot: -1, depth: 0, start: -1)
  }
}

/// Appends array elements.
struct UnkeyedStreamContainer: UnkeyedEncodingContainer {
  let state: StreamState
  let path: CodingPathTail
  let index: Int
  let id: Int

  var codingPath: [any CodingKey] { path.full }
  var count: Int {
    index >= 0 && index < state.frames.count && state.frames[index].id == id ? state.frames[index].count : 0
  }

  @inline(__always)
  private func element() -> Bool {
    guard state.resume(index, id) else { return false }
    state.beginElement(index)
    return true
  }

  mutating func encodeNil() throws {
    if element() { state.writer.writeRaw("null") }
  }
  mutating func encode(_ value: String) throws {
    if element() { state.writer.writeString(value) }
  }
  mutating func encode(_ value: Bool) throws {
    if element() { state.writeBool(value) }
  }
  mutating func encode(_ value: Int) throws {
    if element() { state.writer.writeInteger(value) }
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    let key = IndexKey(index: count)
    if element() { try state.encodeValue(value, in: path, at: key) }
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    guard element() else {
      return KeyedEncodingContainer(KeyedStreamContainer<NestedKey>(state: state, path: path, index: -1, id: -1))
    }
    let (index, id) = state.open(isObject: true, owner: state.nextSerial())
    return KeyedEncodingContainer(KeyedStreamContainer<NestedKey>(state: state, path: path, index: index, id: id))
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    guard element() else { return UnkeyedStreamContainer(state: state, path: path, index: -1, id: -1) }
    let (index, id) = state.open(isObject: false, owner: state.nextSerial())
    return UnkeyedStreamContainer(state: state, path: path, index: index, id: id)
  }

  mutating func superEncoder() -> any Encoder {
    state.unsupported = true
    return StreamEncoder(state: state, path: path, slot: -1, depth: 0, start: -1)
  }
}

/// Writes the one value of a slot.
struct SingleStreamContainer: SingleValueEncodingContainer {
  let encoder: StreamEncoder
  var codingPath: [any CodingKey] { encoder.codingPath }

  /// Whether the slot is still empty (else a second value: the tree path takes it).
  private func begin() -> Bool {
    let state = encoder.state
    guard !state.unsupported else { return false }
    guard state.frames.count == encoder.depth, state.writer.bytes.count == encoder.start else {
      state.unsupported = true
      return false
    }
    return true
  }

  mutating func encodeNil() throws {
    if begin() { encoder.state.writer.writeRaw("null") }
  }
  mutating func encode(_ value: String) throws {
    if begin() { encoder.state.writer.writeString(value) }
  }
  mutating func encode(_ value: Bool) throws {
    if begin() { encoder.state.writeBool(value) }
  }
  mutating func encode(_ value: Int) throws {
    if begin() { encoder.state.writer.writeInteger(value) }
  }
  mutating func encode(_ value: Double) throws {
    if begin() { _ = encoder.state.writeDouble(value) }
  }

  mutating func encode<T: Encodable>(_ value: T) throws {
    guard begin() else { return }
    let state = encoder.state
    if state.writeScalar(value) { return }
    // A value written through a single-value container takes this slot over.
    try value.encode(to: encoder)
  }
}
