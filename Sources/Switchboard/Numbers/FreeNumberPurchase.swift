import Foundation
import Telephony

/// Buying a free Vapi number in an area code (`createNumber`). A lost attempt is recognised by its
/// area code (and name) among the numbers created around it.
struct FreeNumberPurchase: AccountWrite {
  let vapi: VapiClient
  let areaCode: String
  let name: String?
  let fallbackNumber: String?

  /// Vapi numbers for this area code (and name) created around the attempt: those created after it
  /// began come first (oldest first), then earlier ones (nearest first). A minute of slack covers
  /// clock skew with Vapi without preferring a number someone else bought just before.
  func candidates(since: Date) async throws -> [VapiPhoneNumber] {
    let earliest = since.addingTimeInterval(-60)
    let found = try await vapi.listPhoneNumbers().compactMap { number -> (VapiPhoneNumber, Date)? in
      guard number.provider == "vapi", number.numberDesiredAreaCode == areaCode,
        name == nil || number.name == name, let created = ISO8601.date(number.createdAt), created >= earliest
      else { return nil }
      return (number, created)
    }
    return found.sorted { a, b in
      let (aAfter, bAfter) = (a.1 >= since, b.1 >= since)
      if aAfter != bAfter { return aAfter }
      return aAfter ? a.1 < b.1 : a.1 > b.1
    }.map(\.0)
  }

  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber {
    try Task.checkCancellation()
    try beforeSend()
    return try await vapi.createPhoneNumber(.vapi(areaCode: areaCode, name: name, fallbackNumber: fallbackNumber))
  }
}
