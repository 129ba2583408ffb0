/// Encodes `Encodable` values into a `JSONValue`, keeping member order as encoded.
///
/// `nil` optionals encoded with `encodeIfPresent` are left out; `encodeNil` writes an explicit `null`.
public struct JSONValueEncoder: Sendable {
  public init() {}

  public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
    if let value = value as? JSONValue { return value }
    let root = EncodingNode()
    try value.encode(to: NodeEncoder(node: root, codingPath: []))
    return root.resolve()
  }
}

/// A mutable slot in the tree being built.
///
/// Members and elements live in stored arrays of the class, so appending is amortised O(1)
/// (an enum payload would be copied on every append, making large results quadratic).
final class EncodingNode {
  enum Kind {
    case empty
    case value
    case object
    case array
  }
  var kind: Kind = .empty
  var value: JSONValue = .null
  var members: [(key: String, node: EncodingNode)] = []
  var elements: [EncodingNode] = []

  func resolve() -> JSONValue {
    switch kind {
    case .empty: return .object(JSONObject())
    case .value: return value
    case .object:
      var resolved: [JSONObject.Member] = []
      resolved.reserveCapacity(members.count)
      for member in members { resolved.append(JSONObject.Member(member.key, member.node.resolve())) }
      return .object(JSONObject(resolved))
    case .array:
      var resolved: [JSONValue] = []
      resolved.reserveCapacity(elements.count)
      for element in elements { resolved.append(element.resolve()) }
      return .array(resolved)
    }
  }

  func set(_ value: JSONValue) {
    kind = .value
    self.value = value
  }

  func becomeObject() {
    if kind != .object {
      kind = .object
      members = []
    }
  }

  func becomeArray() {
    if kind != .array {
      kind = .array
      elements = []
    }
  }

  func member(_ key: String) -> EncodingNode {
    becomeObject()
    // Keys are few per object and normally encoded once; a repeated key reuses its slot.
    for member in members where member.key == key { return member.node }
    let node = EncodingNode()
    members.append((key, node))
    return node
  }

  func appendElement() -> EncodingNode {
    becomeArray()
    let node = EncodingNode()
    elements.append(node)
    return node
  }
}

/// The `Encoder` writing into one `EncodingNode`.
struct NodeEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    node.becomeObject()
    return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    node.becomeArray()
    return UnkeyedNodeContainer(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleNodeContainer(node: node, codingPath: codingPath)
  }
}

/// Writes scalars directly, everything else through its own `encode(to:)`.
enum ScalarEncoding {
  static func encode<T: Encodable>(_ value: T, into node: EncodingNode, path: [any CodingKey]) throws {
    switch value {
    case let v as String: node.set(.string(v))
    case let v as Bool: node.set(.bool(v))
    case let v as Int: node.set(.number(String(v)))
    case let v as Int64: node.set(.number(String(v)))
    case let v as Double:
      guard v.isFinite else {
        throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "non-finite number"))
      }
      node.set(.number(v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)))
    case let v as JSONValue: node.set(v)
    default: try value.encode(to: NodeEncoder(node: node, codingPath: path))
    }
  }
}

/// Writes object members in encoding order.
struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).set(.null) }

  // Concrete overloads: synthesized `Encodable` code calls these directly, which avoids the
  // dynamic casts of the generic path for the common scalar members.
  mutating func encode(_ value: String, forKey key: Key) throws { node.member(key.stringValue).set(.string(value)) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { node.member(key.stringValue).set(.bool(value)) }
  mutating func encode(_ value: Int, forKey key: Key) throws {
    node.member(key.stringValue).set(.number(String(value)))
  }
  mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
    if let value { node.member(key.stringValue).set(.string(value)) }
  }
  mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
    if let value { node.member(key.stringValue).set(.bool(value)) }
  }
  mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
    if let value { node.member(key.stringValue).set(.number(String(value))) }
  }

  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try ScalarEncoding.encode(value, into: node.member(key.stringValue), path: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.member("super"), codingPath: codingPath) }

  mutating func superEncoder(forKey key: Key) -> any Encoder {
    NodeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
  }
}

/// Appends array elements.
struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var count: Int { node.kind == .array ? node.elements.count : 0 }

  mutating func encodeNil() throws { node.appendElement().set(.null) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    let key = DynamicKey(intValue: count)
    try ScalarEncoding.encode(value, into: node.appendElement(), path: codingPath + [key])
  }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    NodeEncoder(node: node.appendElement(), codingPath: codingPath).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    NodeEncoder(node: node.appendElement(), codingPath: codingPath).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendElement(), codingPath: codingPath) }
}

/// Writes one value.
struct SingleNodeContainer: SingleValueEncodingContainer {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  mutating func encodeNil() throws { node.set(.null) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try ScalarEncoding.encode(value, into: node, path: codingPath)
  }
}
