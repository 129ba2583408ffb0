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
final class EncodingNode {
  enum Storage {
    case empty
    case value(JSONValue)
    case object([(String, EncodingNode)])
    case array([EncodingNode])
  }
  var storage: Storage = .empty

  func resolve() -> JSONValue {
    switch storage {
    case .empty: return .object(JSONObject())
    case .value(let v): return v
    case .object(let members):
      var object = JSONObject()
      for (key, node) in members { object[key] = node.resolve() }
      return .object(object)
    case .array(let nodes): return .array(nodes.map { $0.resolve() })
    }
  }

  func member(_ key: String) -> EncodingNode {
    if case .object(let members) = storage, let existing = members.first(where: { $0.0 == key }) {
      return existing.1
    }
    let node = EncodingNode()
    if case .object(var members) = storage {
      members.append((key, node))
      storage = .object(members)
    } else {
      storage = .object([(key, node)])
    }
    return node
  }

  func appendElement() -> EncodingNode {
    let node = EncodingNode()
    if case .array(var nodes) = storage {
      nodes.append(node)
      storage = .array(nodes)
    } else {
      storage = .array([node])
    }
    return node
  }
}

/// The `Encoder` writing into one `EncodingNode`.
struct NodeEncoder: Encoder {
  let node: EncodingNode
  let codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = node.storage {} else { node.storage = .object([]) }
    return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = node.storage {} else { node.storage = .array([]) }
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
    case let v as String: node.storage = .value(.string(v))
    case let v as Bool: node.storage = .value(.bool(v))
    case let v as Int: node.storage = .value(.number(String(v)))
    case let v as Int64: node.storage = .value(.number(String(v)))
    case let v as Double:
      guard v.isFinite else {
        throw EncodingError.invalidValue(v, .init(codingPath: path, debugDescription: "non-finite number"))
      }
      node.storage = .value(.number(v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)))
    case let v as JSONValue: node.storage = .value(v)
    default: try value.encode(to: NodeEncoder(node: node, codingPath: path))
    }
  }
}

/// Writes object members in encoding order.
struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let node: EncodingNode
  let codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).storage = .value(.null) }

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
  var count: Int {
    if case .array(let nodes) = node.storage { return nodes.count }
    return 0
  }

  mutating func encodeNil() throws { node.appendElement().storage = .value(.null) }

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

  mutating func encodeNil() throws { node.storage = .value(.null) }

  mutating func encode<T: Encodable>(_ value: T) throws {
    try ScalarEncoding.encode(value, into: node, path: codingPath)
  }
}
