/// A JSON value that keeps numbers exactly as written and objects in document order.
///
/// Numbers stay as their source token so a request id such as `1.0` or
/// `92233720368547758070` is echoed byte for byte, and so no precision is lost
/// before a typed decoder decides what the number means.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  /// A number, as the JSON token that spelled it (for example `-0`, `1e3`, `12`).
  case number(String)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// A number value from an integer.
  public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

  /// The member `key` when this is an object, else `nil`.
  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }

  /// The string payload, if this is a string.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The object payload, if this is an object.
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// The array payload, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }
}

/// A JSON object: members in document order, looked up by key.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
  /// One `"key": value` pair.
  public struct Member: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  public private(set) var members: [Member]

  public init() { members = [] }
  public init(_ members: [Member]) { self.members = members }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    members = elements.map { Member($0.0, $0.1) }
  }

  public var count: Int { members.count }
  public var isEmpty: Bool { members.isEmpty }
  public var keys: [String] { members.map(\.key) }

  /// The value of `key`, or `nil` when absent. Setting `nil` removes the member.
  public subscript(key: String) -> JSONValue? {
    get {
      for member in members where member.key == key { return member.value }
      return nil
    }
    set {
      if let index = members.firstIndex(where: { $0.key == key }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append(Member(key, newValue))
      }
    }
  }

  /// Appends a member without checking for an existing key (the caller guarantees uniqueness).
  public mutating func append(_ key: String, _ value: JSONValue) {
    members.append(Member(key, value))
  }

  public func makeIterator() -> IndexingIterator<[Member]> { members.makeIterator() }
}

extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int64.self) {
      self = .number(String(i))
    } else if let d = try? container.decode(Double.self) {
      self = .number(String(d))
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else {
      let dictionary = try container.decode([String: JSONValue].self)
      self = .object(JSONObject(dictionary.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, $0.value) }))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .number(let token):
      if let i = Int64(token) { try container.encode(i) } else { try container.encode(Double(token) ?? 0) }
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o):
      var keyed = encoder.container(keyedBy: DynamicKey.self)
      for member in o { try keyed.encode(member.value, forKey: DynamicKey(stringValue: member.key)) }
    }
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int) { self = .number(String(value)) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements.map { JSONObject.Member($0.0, $0.1) }))
  }
  public init(nilLiteral: ()) { self = .null }
}
