extension KeyedDecodingContainer {
  /// An optional string param that must pass `isValid`; otherwise -32602 naming the param with
  /// `reason` (the value itself is never quoted).
  func decodeIfPresent(_ key: Key, valid isValid: (String) -> Bool, reason: String) throws -> String? {
    guard let value = try decodeIfPresent(String.self, forKey: key) else { return nil }
    guard isValid(value) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: reason)
    }
    return value
  }

  /// A required string param that must pass `isValid` (absent: -32602 "required"; invalid: `reason`).
  func decode(_ key: Key, valid isValid: (String) -> Bool, reason: String) throws -> String {
    guard let value = try decodeIfPresent(key, valid: isValid, reason: reason) else {
      throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "required"))
    }
    return value
  }
}
