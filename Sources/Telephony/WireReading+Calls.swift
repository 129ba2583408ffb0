import Foundation
import JSON

extension JSONReader {
  // `readLenientString()` is in UpstreamErrorBody.swift.

  /// A finite number, or nil for anything else (which is skipped).
  mutating func readLenientDouble() throws -> Double? {
    var probe = self
    if let token = try? probe.readOptionalNumber() {
      self = probe
      return Double(token).flatMap { $0.isFinite ? $0 : nil }
    }
    try skipValue()
    return nil
  }
}

extension VapiCall {
  /// One element of `GET /call`, or nil when it is not an object with a string `id` and `createdAt`.
  static func readLeniently(_ reader: inout JSONReader) throws -> VapiCall? {
    var id: String?
    var createdAt: String?
    var call = VapiCall(id: "", createdAt: "")
    var probe = reader
    do {
      try probe.readObject { key, reader in
        if key == "id" {
          id = try reader.readLenientString()
        } else if key == "createdAt" {
          createdAt = try reader.readLenientString()
        } else if key == "type" {
          call.type = try reader.readLenientString()
        } else if key == "status" {
          call.status = try reader.readLenientString()
        } else if key == "updatedAt" {
          call.updatedAt = try reader.readLenientString()
        } else if key == "startedAt" {
          call.startedAt = try reader.readLenientString()
        } else if key == "endedAt" {
          call.endedAt = try reader.readLenientString()
        } else if key == "cost" {
          call.cost = try reader.readLenientDouble()
        } else if key == "phoneNumberId" {
          call.phoneNumberId = try reader.readLenientString()
        } else {
          try reader.skipValue()  // messages, artifact, analysis, transient configs: never built
        }
      }
      reader = probe
    } catch {
      // Not an object (null, a number, a string…): skip it; malformed JSON still throws here.
      try reader.skipValue()
      return nil
    }
    guard let id, !id.isEmpty, let createdAt, !createdAt.isEmpty else { return nil }
    call.id = id
    call.createdAt = createdAt
    return call
  }
}

extension VapiCallPage: WireReadable {
  init(reading reader: inout JSONReader) throws {
    var calls: [VapiCall] = []
    var skipped = 0
    try reader.readArray { reader in
      if let call = try VapiCall.readLeniently(&reader) { calls.append(call) } else { skipped += 1 }
    }
    self.init(calls: calls, skipped: skipped)
  }
}
