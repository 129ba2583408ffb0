import JSON
import JSONRPC

/// A param kind that may also come as a list (`ids`, `sids`).
protocol ListableParam: ParamRule {
  /// The list's noun in its size reason ("must hold 1-1000 ids").
  static var plural: String { get }
  /// The schema of one item of a list (the kind's own schema unless it says otherwise).
  static var itemSchema: JSONSchema { get }
}

extension ListableParam {
  static var itemSchema: JSONSchema { schema }
}

/// 1–1000 distinct values of one kind: an invalid or repeated item is refused with its index
/// (`/ids/3`), a list of another size with "must hold 1-1000 <plural>".
struct DistinctList<Item: ListableParam>: ParamValue, Hashable {
  static var limit: Int { 1000 }
  let items: [Item]
  /// The items' text, in the order given.
  var values: [String] { items.map(\.value) }

  static var schema: JSONSchema { .array(Item.itemSchema, minItems: 1, maxItems: limit) }

  static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
    var list = try container.nestedUnkeyedContainer(forKey: key)
    var items: [Item] = []
    var seen = Set<String>()
    while !list.isAtEnd {
      let item = try list.decode(String.self)
      let index = list.currentIndex - 1
      let reason: String? =
        !Item.isValid(item) ? Item.reason : !seen.insert(Item.canonical(item)).inserted ? "is a duplicate" : nil
      if let reason { throw ParamsError(pointer: "/\(key.stringValue)/\(index)", reason: reason) }
      items.append(Item(value: item))
    }
    guard (1...limit).contains(items.count) else {
      throw ParamsError(pointer: "/\(key.stringValue)", reason: "must hold 1-\(limit) \(Item.plural)")
    }
    return DistinctList(items: items)
  }

  /// Absent is nil; `null` is not absent here ("expected an array").
  static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> Self?
  {
    guard container.contains(key) else { return nil }
    return try decodeParam(key, in: container)
  }
}
