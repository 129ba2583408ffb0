import Foundation
import JSON

/// A wire model read straight from response bytes with `JSONReader`: only the members it keeps are
/// decoded, the rest (a Twilio number has some 30, secrets among them) are skipped unbuilt.
protocol WireReadable: Sendable {
  init(reading reader: inout JSONReader) throws
}

extension WireReadable {
  /// The model from a whole response body.
  static func read(_ data: Data) throws -> Self {
    try JSONReader.read(data) { try Self(reading: &$0) }
  }
}

/// A required member was absent.
struct MissingMember: Error {
  let name: String
}

extension JSONReader {
  /// An integer-valued number (`12`, `12.0`), or nil for `null` or a non-integral value.
  mutating func readOptionalInt() throws -> Int? {
    guard let token = try readOptionalNumber() else { return nil }
    if let int = Int(token) { return int }
    guard let double = Double(token), double.isFinite, double.rounded() == double else { return nil }
    return Int(exactly: double)
  }

  /// A boolean, or nil for anything else (which is skipped).
  mutating func readLenientBool() throws -> Bool? {
    var probe = self
    if let value = try? probe.readBool() {
      self = probe
      return value
    }
    try skipValue()
    return nil
  }

  /// An integer-valued number, or nil for anything else (which is skipped).
  mutating func readLenientInt() throws -> Int? {
    var probe = self
    if let value = try? probe.readOptionalInt() {
      self = probe
      return value
    }
    try skipValue()
    return nil
  }
}

extension TwilioIncomingNumber: WireReadable {
  init(reading reader: inout JSONReader) throws {
    var sid: String?
    var phoneNumber: String?
    var friendlyName: String?
    var capabilities = TwilioCapabilities()
    try reader.readObject { key, reader in
      if key == "sid" {
        sid = try reader.readString()
      } else if key == "phone_number" {
        phoneNumber = try reader.readString()
      } else if key == "friendly_name" {
        friendlyName = try reader.readOptionalString()
      } else if key == "capabilities", !reader.isNull {
        capabilities = try TwilioCapabilities(reading: &reader)
      } else {
        try reader.skipValue()
      }
    }
    guard let sid else { throw MissingMember(name: "sid") }
    guard let phoneNumber else { throw MissingMember(name: "phone_number") }
    self.init(sid: sid, phoneNumber: phoneNumber, friendlyName: friendlyName ?? "", capabilities: capabilities)
  }
}

extension TwilioCapabilities: WireReadable {
  init(reading reader: inout JSONReader) throws {
    self.init()
    var capabilities = self
    try reader.readObject { key, reader in
      if key == "voice" {
        capabilities.voice = try reader.readLenientBool() ?? false
      } else if key == "sms" {
        capabilities.sms = try reader.readLenientBool() ?? false
      } else if key == "mms" {
        capabilities.mms = try reader.readLenientBool() ?? false
      } else if key == "fax" {
        capabilities.fax = try reader.readLenientBool() ?? false
      } else {
        try reader.skipValue()
      }
    }
    self = capabilities
  }
}

extension TwilioIncomingNumberPage: WireReadable {
  /// The page in `data`, after `onNext` got its `next_page_uri` from a quick look, so the next
  /// page can be requested while this one is parsed: the members before the items are read (the
  /// fake puts the envelope first); when the items come first, the last `"next_page_uri":` is
  /// searched back from the end (Twilio puts it after them); else a first pass skips the items
  /// unbuilt. What `onNext` gets is a hint: the page's `nextPageURI` comes from the real parse.
  static func read(_ data: Data, onNext: (String?) -> Void) throws -> Self {
    try JSONReader.read(data) { reader in
      if let next = try? nextPageHint(reader) {
        onNext(next)
        return try Self(reading: &reader, expectedCount: TwilioClient.pageSize)
      }
      var scan = reader
      var count = 0
      var next: String?
      try scan.readObject { key, reader in
        if key == "incoming_phone_numbers", !reader.isNull {
          try reader.readArray { reader in
            count += 1
            try reader.skipValueStructurally()
          }
        } else if key == "next_page_uri" {
          next = try reader.readOptionalString()
        } else {
          try reader.skipValue()
        }
      }
      onNext(next)
      return try Self(reading: &reader, expectedCount: count)
    }
  }

  /// `next_page_uri` without reading the items, or nil when it cannot be found that way.
  private static func nextPageHint(_ reader: JSONReader) throws -> String?? {
    struct Stop: Error {}
    var scan = reader
    var found: String??
    var itemsFirst = false
    do {
      try scan.readObject { key, reader in
        if key == "next_page_uri" {
          found = .some(try reader.readOptionalString())
          throw Stop()
        } else if key == "incoming_phone_numbers" {
          itemsFirst = true
          throw Stop()
        }
        try reader.skipValue()
      }
    } catch is Stop {}
    if let found { return found }
    guard itemsFirst, var value = reader.lastMemberValueHint(named: "next_page_uri") else { return nil }
    return .some(try value.readOptionalString())
  }

  init(reading reader: inout JSONReader) throws {
    try self.init(reading: &reader, expectedCount: 0)
  }

  init(reading reader: inout JSONReader, expectedCount: Int) throws {
    var numbers: [TwilioIncomingNumber]?
    var next: String?
    try reader.readObject { key, reader in
      if key == "incoming_phone_numbers" {
        var items: [TwilioIncomingNumber] = []
        items.reserveCapacity(expectedCount)
        try reader.readArray { reader in items.append(try TwilioIncomingNumber(reading: &reader)) }
        numbers = items
      } else if key == "next_page_uri" {
        next = try reader.readOptionalString()
      } else {
        try reader.skipValue()
      }
    }
    guard let numbers else { throw MissingMember(name: "incoming_phone_numbers") }
    self.init(numbers: numbers, nextPageURI: next)
  }
}

extension TwilioAccount: WireReadable {
  init(reading reader: inout JSONReader) throws {
    var sid: String?
    var status: String?
    var type: String?
    var friendlyName: String?
    try reader.readObject { key, reader in
      if key == "sid" {
        sid = try reader.readString()
      } else if key == "status" {
        status = try reader.readString()
      } else if key == "type" {
        type = try reader.readOptionalString()
      } else if key == "friendly_name" {
        friendlyName = try reader.readOptionalString()
      } else {
        try reader.skipValue()  // including auth_token, which is never read
      }
    }
    guard let sid else { throw MissingMember(name: "sid") }
    guard let status else { throw MissingMember(name: "status") }
    self.init(sid: sid, status: status, type: type, friendlyName: friendlyName)
  }
}

extension VapiPhoneNumber: WireReadable {
  init(reading reader: inout JSONReader) throws {
    var id: String?
    var provider: String?
    var createdAt: String?
    var number = VapiPhoneNumber(id: "", provider: "", createdAt: "")
    try reader.readObject { key, reader in
      if key == "id" {
        id = try reader.readString()
      } else if key == "provider" {
        provider = try reader.readString()
      } else if key == "createdAt" {
        createdAt = try reader.readString()
      } else if key == "number" {
        number.number = try reader.readOptionalString()
      } else if key == "name" {
        number.name = try reader.readOptionalString()
      } else if key == "status" {
        number.status = try reader.readOptionalString()
      } else if key == "updatedAt" {
        number.updatedAt = try reader.readOptionalString()
      } else if key == "smsEnabled" {
        number.smsEnabled = try reader.readLenientBool()
      } else if key == "assistantId" {
        number.assistantId = try reader.readOptionalString()
      } else if key == "sipUri" {
        number.sipUri = try reader.readOptionalString()
      } else if key == "numberDesiredAreaCode" {
        number.numberDesiredAreaCode = try reader.readOptionalString()
      } else if key == "fallbackDestination", !reader.isNull {
        number.fallbackDestination = try VapiFallbackDestination(reading: &reader)
      } else {
        try reader.skipValue()  // including twilioAuthToken and other secrets Vapi may echo
      }
    }
    guard let id else { throw MissingMember(name: "id") }
    guard let provider else { throw MissingMember(name: "provider") }
    guard let createdAt else { throw MissingMember(name: "createdAt") }
    number.id = id
    number.provider = provider
    number.createdAt = createdAt
    self = number
  }
}

extension VapiFallbackDestination: WireReadable {
  init(reading reader: inout JSONReader) throws {
    var destination = VapiFallbackDestination(type: "")
    var type: String?
    try reader.readObject { key, reader in
      if key == "type" {
        type = try reader.readString()
      } else if key == "number" {
        destination.number = try reader.readOptionalString()
      } else if key == "sipUri" {
        destination.sipUri = try reader.readOptionalString()
      } else if key == "extension" {
        destination.extension = try reader.readOptionalString()
      } else {
        try reader.skipValue()
      }
    }
    guard let type else { throw MissingMember(name: "type") }
    destination.type = type
    self = destination
  }
}

extension VapiPhoneNumberPage: WireReadable {
  /// What a quick first pass over a page learns (items skipped unbuilt): enough to request the next page.
  struct Scan {
    var count = 0
    /// The first item's `createdAt` (the pin of a walk's later pages).
    var firstCreatedAt: String?
    var metadata: Metadata?
  }

  /// The page in `data`, after `onScan` got what a quick first pass learns, so the next page can
  /// be requested while this one is parsed.
  static func read(_ data: Data, onScan: (Scan) -> Void) throws -> Self {
    try JSONReader.read(data) { reader in
      var probe = reader
      var scan = Scan()
      try probe.readObject { key, reader in
        if key == "results", !reader.isNull {
          try reader.readArray { reader in
            if scan.count == 0 {
              try reader.readObject { key, reader in
                if key == "createdAt", !reader.isNull {
                  scan.firstCreatedAt = try reader.readString()
                } else {
                  try reader.skipValue()
                }
              }
            } else {
              try reader.skipValue()
            }
            scan.count += 1
          }
        } else if key == "metadata", !reader.isNull {
          scan.metadata = try Metadata(reading: &reader)
        } else {
          try reader.skipValue()
        }
      }
      onScan(scan)
      return try Self(reading: &reader, expectedCount: scan.count)
    }
  }

  init(reading reader: inout JSONReader) throws {
    try self.init(reading: &reader, expectedCount: 0)
  }

  init(reading reader: inout JSONReader, expectedCount: Int) throws {
    var results: [VapiPhoneNumber]?
    var metadata: Metadata?
    try reader.readObject { key, reader in
      if key == "results" {
        var items: [VapiPhoneNumber] = []
        items.reserveCapacity(expectedCount)
        try reader.readArray { reader in items.append(try VapiPhoneNumber(reading: &reader)) }
        results = items
      } else if key == "metadata", !reader.isNull {
        metadata = try Metadata(reading: &reader)
      } else {
        try reader.skipValue()
      }
    }
    guard let results else { throw MissingMember(name: "results") }
    self.init(results: results, metadata: metadata)
  }
}

extension VapiPhoneNumberPage.Metadata {
  init(reading reader: inout JSONReader) throws {
    var meta = Self(totalItems: nil, hasNextPage: nil, currentPage: nil, totalPages: nil)
    try reader.readObject { key, reader in
      if key == "totalItems" {
        meta.totalItems = try reader.readLenientInt()
      } else if key == "hasNextPage" {
        meta.hasNextPage = try reader.readLenientBool()
      } else if key == "currentPage" {
        meta.currentPage = try reader.readLenientInt()
      } else if key == "totalPages" {
        meta.totalPages = try reader.readLenientInt()
      } else {
        try reader.skipValue()
      }
    }
    self = meta
  }
}

/// Any JSON value, read and dropped (for calls whose 2xx body does not matter).
struct IgnoredBody: WireReadable {
  init(reading reader: inout JSONReader) throws { try reader.skipValue() }
}
