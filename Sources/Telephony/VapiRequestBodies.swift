import Foundation
import JSON

/// The body of `POST /phone-number`. Encodes exactly the keys listed per case, nothing else.
public enum VapiCreateBody: Sendable, Equatable {
  /// Import a Twilio number: `{"provider":"twilio","number":…,"twilioAccountSid":…,
  /// "twilioAuthToken":…,"name"?:…,"smsEnabled":false}`. `number` is Twilio's E.164
  /// `phone_number` (Vapi has no PN-SID field); `smsEnabled: false` leaves the number's
  /// messaging webhook untouched.
  case twilio(number: String, twilioAccountSid: String, twilioAuthToken: String, name: String?)
  /// A free Vapi number: `{"provider":"vapi","numberDesiredAreaCode":…,"name"?:…,
  /// "fallbackDestination"?:{"type":"number","number":…}}`.
  case vapi(areaCode: String, name: String?, fallbackNumber: String?)

  /// The JSON bytes (keys in this order, nothing else).
  public func encoded() -> Data {
    var body: JSONObject
    switch self {
    case .twilio(let number, let sid, let token, let name):
      body = [
        "provider": "twilio", "number": .string(number), "twilioAccountSid": .string(sid),
        "twilioAuthToken": .string(token),
      ]
      if let name { body["name"] = .string(name) }
      body["smsEnabled"] = false
    case .vapi(let areaCode, let name, let fallbackNumber):
      body = ["provider": "vapi", "numberDesiredAreaCode": .string(areaCode)]
      if let name { body["name"] = .string(name) }
      if let fallbackNumber { body["fallbackDestination"] = numberDestination(fallbackNumber) }
    }
    return Data(JSONWriter.encode(.object(body)))
  }
}

/// The body of `PATCH /phone-number/{id}`: only the fields that are not `.absent` are sent.
public struct VapiUpdateBody: Sendable, Equatable {
  /// `name`.
  public var name: Nullable<String>
  /// Sent as `fallbackDestination: {"type":"number","number":…}` (or `null`).
  public var fallbackNumber: Nullable<String>
  /// `assistantId` (`null` unassigns).
  public var assistantId: Nullable<String>

  /// Creates an update; every field defaults to `.absent`.
  public init(
    name: Nullable<String> = .absent, fallbackNumber: Nullable<String> = .absent,
    assistantId: Nullable<String> = .absent
  ) {
    self.name = name
    self.fallbackNumber = fallbackNumber
    self.assistantId = assistantId
  }

  /// True when nothing would be sent.
  public var isEmpty: Bool { name == .absent && fallbackNumber == .absent && assistantId == .absent }

  /// The JSON bytes: only the fields that are not `.absent`.
  public func encoded() -> Data {
    var body: JSONObject = [:]
    body.set("name", name.map { .string($0) })
    body.set("fallbackDestination", fallbackNumber.map(numberDestination))
    body.set("assistantId", assistantId.map { .string($0) })
    return Data(JSONWriter.encode(.object(body)))
  }
}

extension JSONObject {
  /// Adds `key` unless the update is `.absent` (`.null` is written as JSON `null`).
  fileprivate mutating func set(_ key: String, _ update: Nullable<JSONValue>) {
    switch update {
    case .absent: break
    case .null: self[key] = .null
    case .value(let v): self[key] = v
    }
  }
}

private func numberDestination(_ number: String) -> JSONValue {
  ["type": "number", "number": .string(number)]
}
