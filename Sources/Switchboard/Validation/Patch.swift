import JSONRPC

/// A param that may be absent (keep), `null` (clear) or a value (set).
enum Patch<Value: Sendable & Equatable>: Sendable, Equatable {
  case keep
  case clear
  case set(Value)
}

extension KeyedDecodingContainer {
  /// A tri-state string param: absent keeps, `null` clears, a value must pass `isValid`.
  func decodePatch(_ key: Key, valid isValid: (String) -> Bool, reason: String) throws -> Patch<String> {
    guard contains(key) else { return .keep }
    if try decodeNil(forKey: key) { return .clear }
    guard let value = try decodeIfPresent(key, valid: isValid, reason: reason) else { return .clear }
    return .set(value)
  }
}
