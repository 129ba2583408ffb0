import Telephony

/// The number → Vapi id index used for `imported`.
enum ImportedIndex {
  /// E.164 number → Vapi id.
  static func byNumber(_ numbers: [VapiPhoneNumber]) -> [String: String] {
    var index: [String: String] = [:]
    index.reserveCapacity(numbers.count)
    for number in numbers { if let e164 = number.number { index[e164] = number.id } }
    return index
  }
}
