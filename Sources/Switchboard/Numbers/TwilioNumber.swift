import JSON
import JSONRPC
import Telephony

/// A number of the Twilio account, as `listTwilio` returns it.
public struct TwilioNumber: Encodable, Sendable, Equatable {
  public struct Capabilities: Encodable, Sendable, Equatable {
    public var voice, sms, mms, fax: Bool
  }
  public var sid: String
  public var phoneNumber: String
  public var friendlyName: String
  public var capabilities: Capabilities
  /// Whether Vapi already has this number.
  public var imported: Bool
  /// The Vapi id when imported.
  public var vapiId: String?

  static let schema = JSONSchema.object(
    [
      ("sid", .string(pattern: PhoneNumberSID.pattern)), ("phoneNumber", .string()), ("friendlyName", .string()),
      (
        "capabilities",
        .object(
          [("voice", .boolean()), ("sms", .boolean()), ("mms", .boolean()), ("fax", .boolean())],
          required: ["voice", "sms", "mms", "fax"])
      ),
      ("imported", .boolean()), ("vapiId", .string()),
    ], required: ["sid", "phoneNumber", "friendlyName", "capabilities", "imported"],
    description: "A number of the Twilio account.")
}

extension TwilioNumber {
  init(_ twilio: TwilioIncomingNumber, vapiId: String?) {
    sid = twilio.sid
    phoneNumber = twilio.phoneNumber
    friendlyName = twilio.friendlyName
    capabilities = Capabilities(
      voice: twilio.capabilities.voice, sms: twilio.capabilities.sms, mms: twilio.capabilities.mms,
      fax: twilio.capabilities.fax)
    imported = vapiId != nil
    self.vapiId = vapiId
  }
}

extension TwilioNumber {
  /// Writes the number as JSON, byte for byte what `JSONBytesEncoder` writes for it (members in
  /// declaration order, `vapiId` left out when nil), without going through `Encodable`: a listing
  /// writes 10,000 of them.
  func write(to writer: inout JSONWriter) {
    writer.writeRaw(#"{"sid":"#)
    writer.writeString(sid)
    writer.writeRaw(#","phoneNumber":"#)
    writer.writeString(phoneNumber)
    writer.writeRaw(#","friendlyName":"#)
    writer.writeString(friendlyName)
    writer.writeRaw(#","capabilities":{"voice":"#)
    writer.writeRaw(capabilities.voice ? "true" : "false")
    writer.writeRaw(#","sms":"#)
    writer.writeRaw(capabilities.sms ? "true" : "false")
    writer.writeRaw(#","mms":"#)
    writer.writeRaw(capabilities.mms ? "true" : "false")
    writer.writeRaw(#","fax":"#)
    writer.writeRaw(capabilities.fax ? "true" : "false")
    writer.writeRaw(#"},"imported":"#)
    writer.writeRaw(imported ? "true" : "false")
    if let vapiId {
      writer.writeRaw(#","vapiId":"#)
      writer.writeString(vapiId)
    }
    writer.writeRaw("}")
  }
}
