import Telephony

/// The number → Vapi id index used for `imported`.
enum ImportedIndex {
  /// Adds `numbers` to `index` (E.164 number → Vapi id; a later number wins a duplicate E.164).
  static func add(_ numbers: [VapiPhoneNumber], to index: inout [String: String]) {
    for number in numbers { if let e164 = number.number { index[e164] = number.id } }
  }
}
