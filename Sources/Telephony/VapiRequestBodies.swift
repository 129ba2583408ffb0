import Foundation

/// A field of an update: left as is, cleared (`null`), or set.
public enum FieldUpdate<Value: Sendable & Equatable>: Sendable, Equatable {
  /// Not sent: the upstream keeps its value.
  case absent
  /// Sent as JSON `null`: the upstream clears the field.
  case null
  /// Sent with this value.
  case value(Value)
}

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

  /// The JSON bytes.
  public func encoded() -> Data {
    var w = JSONObjectWriter()
    switch self {
    case .twilio(let number, let sid, let token, let name):
      w.add("provider", .string("twilio"))
      w.add("number", .string(number))
      w.add("twilioAccountSid", .string(sid))
      w.add("twilioAuthToken", .string(token))
      if let name { w.add("name", .string(name)) }
      w.add("smsEnabled", .bool(false))
    case .vapi(let areaCode, let name, let fallbackNumber):
      w.add("provider", .string("vapi"))
      w.add("numberDesiredAreaCode", .string(areaCode))
      if let name { w.add("name", .string(name)) }
      if let fallbackNumber { w.add("fallbackDestination", .object(numberDestination(fallbackNumber))) }
    }
    return w.data
  }
}

/// The body of `PATCH /phone-number/{id}`: only the fields that are not `.absent` are sent.
public struct VapiUpdateBody: Sendable, Equatable {
  /// `name`.
  public var name: FieldUpdate<String>
  /// Sent as `fallbackDestination: {"type":"number","number":…}` (or `null`).
  public var fallbackNumber: FieldUpdate<String>
  /// `assistantId` (`null` unassigns).
  public var assistantId: FieldUpdate<String>

  /// Creates an update; every field defaults to `.absent`.
  public init(
    name: FieldUpdate<String> = .absent, fallbackNumber: FieldUpdate<String> = .absent,
    assistantId: FieldUpdate<String> = .absent
  ) {
    self.name = name
    self.fallbackNumber = fallbackNumber
    self.assistantId = assistantId
  }

  /// True when nothing would be sent.
  public var isEmpty: Bool { name == .absent && fallbackNumber == .absent && assistantId == .absent }

  /// The JSON bytes.
  public func encoded() -> Data {
    var w = JSONObjectWriter()
    switch name {
    case .absent: break
    case .null: w.add("name", .null)
    case .value(let v): w.add("name", .string(v))
    }
    switch fallbackNumber {
    case .absent: break
    case .null: w.add("fallbackDestination", .null)
    case .value(let v): w.add("fallbackDestination", .object(numberDestination(v)))
    }
    switch assistantId {
    case .absent: break
    case .null: w.add("assistantId", .null)
    case .value(let v): w.add("assistantId", .string(v))
    }
    return w.data
  }
}

private func numberDestination(_ number: String) -> JSONObjectWriter {
  var d = JSONObjectWriter()
  d.add("type", .string("number"))
  d.add("number", .string(number))
  return d
}
