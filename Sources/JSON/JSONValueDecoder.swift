/// Params that failed to decode: where (a JSON Pointer) and why (a fixed phrase, never the value).
public struct ParamsError: Error, Sendable, Equatable {
  public var pointer: String
  public var reason: String
  /// A message to use instead of the generated one (for wording a product has promised its users).
  public var message: String?
  public init(pointer: String, reason: String, message: String? = nil) {
    self.pointer = pointer
    self.reason = reason
    self.message = message
  }
}

/// A `Decodable` with rules across its members (for example "exactly one of `id` or `number`"),
/// which `JSONValueDecoder` checks once every member has decoded and before unknown members are refused.
public protocol ValidatingDecodable: Decodable {
  /// Throws `ParamsError` (or a `DecodingError`) when the decoded members do not go together.
  func validate() throws
}

/// Decodes `Decodable` types from a `JSONValue`, strictly.
///
/// Unlike `JSONDecoder` it reports failures as `ParamsError` with a JSON Pointer, refuses
/// fractional numbers for integer fields, and (by default) rejects object members the type
/// never asked for, so a misspelt param such as `areacode` is an error instead of being ignored.
public struct JSONValueDecoder: Sendable {
  /// Reject members the decoded type never read.
  public var rejectUnknownKeys = true
  /// Top-level members every method accepts (for example `workDoneToken`).
  public var allowedTopLevelKeys: Set<String> = []

  public init(rejectUnknownKeys: Bool = true, allowedTopLevelKeys: Set<String> = []) {
    self.rejectUnknownKeys = rejectUnknownKeys
    self.allowedTopLevelKeys = allowedTopLevelKeys
  }

  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(ParamsError) -> T {
    let tracker = KeyTracker()
    let decoder = ValueDecoder(value: value, codingPath: [], tracker: tracker)
    let result: T
    do {
      result = try T(from: decoder)
      try (result as? any ValidatingDecodable)?.validate()
    } catch let error as ParamsError {
      throw error
    } catch let error as DecodingError {
      throw Self.paramsError(from: error)
    } catch {
      throw ParamsError(pointer: "", reason: "invalid value")
    }
    if rejectUnknownKeys, let unknown = tracker.firstUnknownKey(allowedTopLevel: allowedTopLevelKeys) {
      throw ParamsError(pointer: unknown, reason: "unknown member")
    }
    return result
  }

  static func paramsError(from error: DecodingError) -> ParamsError {
    switch error {
    case .typeMismatch(let type, let context):
      return ParamsError(pointer: JSONPointer.from(context.codingPath), reason: "expected \(expectedName(type))")
    case .valueNotFound(let type, let context):
      return ParamsError(
        pointer: JSONPointer.from(context.codingPath), reason: "expected \(expectedName(type)), not null")
    case .keyNotFound(let key, let context):
      return ParamsError(pointer: JSONPointer.from(context.codingPath + [key]), reason: "required")
    case .dataCorrupted(let context):
      return ParamsError(pointer: JSONPointer.from(context.codingPath), reason: context.debugDescription)
    @unknown default:
      return ParamsError(pointer: "", reason: "invalid value")
    }
  }

  static func expectedName(_ type: Any.Type) -> String {
    switch type {
    case is String.Type: "a string"
    case is Bool.Type: "a boolean"
    case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type: "an integer"
    case is Double.Type, is Float.Type: "a number"
    default:
      if type is any Collection.Type { "an array" } else { "an object" }
    }
  }
}

/// Records which members of which objects a decode read.
final class KeyTracker {
  struct Entry {
    var path: [any CodingKey]
    var object: JSONObject
    var read: Set<String> = []
    var readAll = false
  }
  var entries: [Entry] = []

  func register(path: [any CodingKey], object: JSONObject) -> Int {
    entries.append(Entry(path: path, object: object))
    return entries.count - 1
  }

  func firstUnknownKey(allowedTopLevel: Set<String>) -> String? {
    for entry in entries where !entry.readAll {
      for key in entry.object.keys where !entry.read.contains(key) {
        if entry.path.isEmpty && allowedTopLevel.contains(key) { continue }
        return JSONPointer.from(entry.path) + "/" + JSONPointer.escape(key)
      }
    }
    return nil
  }
}

/// The `Decoder` over one `JSONValue`.
struct ValueDecoder: Decoder {
  let value: JSONValue
  let codingPath: [any CodingKey]
  let tracker: KeyTracker
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let object) = value else {
      throw DecodingError.typeMismatch(
        [String: Any].self, .init(codingPath: codingPath, debugDescription: "expected an object"))
    }
    let slot = tracker.register(path: codingPath, object: object)
    return KeyedDecodingContainer(
      KeyedContainer<Key>(object: object, codingPath: codingPath, tracker: tracker, slot: slot))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let items) = value else {
      throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "expected an array"))
    }
    return UnkeyedContainer(items: items, codingPath: codingPath, tracker: tracker)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleValueContainer(value: value, codingPath: codingPath, tracker: tracker)
  }
}

/// Scalar conversions shared by the three container kinds.
enum Scalar {
  static func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey], _ tracker: KeyTracker)
    throws -> T
  {
    func mismatch() -> DecodingError {
      if case .null = value {
        return DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "null"))
      }
      return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "type mismatch"))
    }
    switch type {
    case is String.Type:
      guard case .string(let s) = value else { throw mismatch() }
      return s as! T
    case is Bool.Type:
      guard case .bool(let b) = value else { throw mismatch() }
      return b as! T
    case is Int.Type:
      guard case .number(let token) = value, let i = integer(token) else { throw mismatch() }
      return i as! T
    case is Int64.Type:
      guard case .number(let token) = value, let i = integer(token) else { throw mismatch() }
      return Int64(i) as! T
    case is Double.Type:
      guard case .number(let token) = value, let d = Double(token) else { throw mismatch() }
      return d as! T
    case is JSONValue.Type:
      return value as! T
    default:
      return try T(from: ValueDecoder(value: value, codingPath: path, tracker: tracker))
    }
  }

  /// An integer from a number token: `3`, `3.0` and `3e0` qualify; `3.5` and out-of-range values do not.
  static func integer(_ token: String) -> Int? {
    if let i = Int(token) { return i }
    guard let d = Double(token), d.rounded() == d, abs(d) < 9.0e15 else { return nil }
    return Int(d)
  }
}

/// Reads an object's members, recording which were asked for.
struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let object: JSONObject
  let codingPath: [any CodingKey]
  let tracker: KeyTracker
  let slot: Int

  var allKeys: [Key] {
    tracker.entries[slot].readAll = true
    return object.keys.compactMap { Key(stringValue: $0) }
  }

  func contains(_ key: Key) -> Bool {
    tracker.entries[slot].read.insert(key.stringValue)
    return object[key.stringValue] != nil
  }

  func value(for key: Key) throws -> JSONValue {
    tracker.entries[slot].read.insert(key.stringValue)
    guard let value = object[key.stringValue] else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
    }
    return value
  }

  func decodeNil(forKey key: Key) throws -> Bool {
    try value(for: key) == .null
  }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try Scalar.decode(type, try value(for: key), codingPath + [key], tracker)
  }

  func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
    tracker.entries[slot].read.insert(key.stringValue)
    guard let value = object[key.stringValue], value != .null else { return nil }
    return try Scalar.decode(type, value, codingPath + [key], tracker)
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try ValueDecoder(value: try value(for: key), codingPath: codingPath + [key], tracker: tracker)
      .container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try ValueDecoder(value: try value(for: key), codingPath: codingPath + [key], tracker: tracker).unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder {
    ValueDecoder(value: .object(object), codingPath: codingPath, tracker: tracker)
  }

  func superDecoder(forKey key: Key) throws -> any Decoder {
    ValueDecoder(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key], tracker: tracker)
  }
}

/// Reads an array's elements in order.
struct UnkeyedContainer: UnkeyedDecodingContainer {
  let items: [JSONValue]
  let codingPath: [any CodingKey]
  let tracker: KeyTracker
  var currentIndex = 0

  init(items: [JSONValue], codingPath: [any CodingKey], tracker: KeyTracker) {
    self.items = items
    self.codingPath = codingPath
    self.tracker = tracker
  }

  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  mutating func next() throws -> (JSONValue, [any CodingKey]) {
    let key = DynamicKey(intValue: currentIndex)
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        JSONValue.self, .init(codingPath: codingPath + [key], debugDescription: "missing array element"))
    }
    defer { currentIndex += 1 }
    return (items[currentIndex], codingPath + [key])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if items[currentIndex] == .null {
      currentIndex += 1
      return true
    }
    return false
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    let (value, path) = try next()
    return try Scalar.decode(type, value, path, tracker)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path, tracker: tracker).container(keyedBy: type)
  }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    let (value, path) = try next()
    return try ValueDecoder(value: value, codingPath: path, tracker: tracker).unkeyedContainer()
  }

  mutating func superDecoder() throws -> any Decoder {
    let (value, path) = try next()
    return ValueDecoder(value: value, codingPath: path, tracker: tracker)
  }
}

/// Reads one scalar value.
struct SingleValueContainer: SingleValueDecodingContainer {
  let value: JSONValue
  let codingPath: [any CodingKey]
  let tracker: KeyTracker

  func decodeNil() -> Bool { value == .null }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try Scalar.decode(type, value, codingPath, tracker)
  }
}
