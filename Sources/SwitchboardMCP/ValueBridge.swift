import Foundation
import JSON
import JSONRPC
import MCP

/// Converts between the engine's `JSONValue` and the MCP SDK's `Value`.
enum ValueBridge {
  static func value(_ json: JSONValue) -> Value {
    switch json {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .number(let token):
      if let integer = Int(token) { return .int(integer) }
      return .double(Double(token) ?? 0)
    case .string(let text): return .string(text)
    case .array(let items): return .array(items.map(value))
    case .object(let object):
      var members: [String: Value] = [:]
      members.reserveCapacity(object.count)
      for member in object { members[member.key] = value(member.value) }
      return .object(members)
    }
  }

  static func json(_ value: Value) -> JSONValue {
    switch value {
    case .null: return .null
    case .bool(let flag): return .bool(flag)
    case .int(let integer): return .int(integer)
    case .double(let number):
      // Whole numbers keep an integer spelling, so an integer param given as 3.0 still decodes.
      if number.rounded() == number, abs(number) < 1e15 { return .int(Int(number)) }
      return .number(String(number))
    case .string(let text): return .string(text)
    case .data:
      // The SDK turns a "data:" URL string into `.data`; give the service the string back.
      let encoded = (try? JSONEncoder().encode(value)).flatMap { try? JSONDecoder().decode(String.self, from: $0) }
      return .string(encoded ?? "")
    case .array(let items): return .array(items.map(json))
    case .object(let members):
      return .object(JSONObject(members.sorted { $0.key < $1.key }.map { JSONObject.Member($0.key, json($0.value)) }))
    }
  }
}
