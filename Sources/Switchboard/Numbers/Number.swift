import JSON
import JSONRPC
import Telephony

/// A phone number in the Vapi account, as hosts see it.
///
/// Built field by field from the upstream object, never forwarded raw: upstream bodies can echo
/// secrets (a Twilio import echoes `twilioAuthToken`).
public struct Number: Codable, Sendable, Equatable {
  public struct Destination: Codable, Sendable, Equatable {
    public var type: String
    public var number: String?
    public var sipUri: String?
    public var `extension`: String?
  }

  public var id: String
  public var provider: String
  public var number: String?
  public var name: String?
  public var status: String?
  public var createdAt: String
  public var updatedAt: String?
  public var smsEnabled: Bool?
  /// True unless the number has `smsEnabled: true` (the seed's "Voice Only" badge).
  public var voiceOnly: Bool
  public var fallbackDestination: Destination?
  public var assistantId: String?
  public var sipUri: String?

  init(_ upstream: VapiPhoneNumber) {
    id = upstream.id
    provider = upstream.provider
    number = upstream.number
    name = upstream.name
    status = upstream.status
    createdAt = upstream.createdAt
    updatedAt = upstream.updatedAt
    smsEnabled = upstream.smsEnabled
    voiceOnly = upstream.smsEnabled != true
    fallbackDestination = upstream.fallbackDestination.map {
      Destination(type: $0.type, number: $0.number, sipUri: $0.sipUri, extension: $0.extension)
    }
    assistantId = upstream.assistantId
    sipUri = upstream.sipUri
  }

  static let schema = JSONSchema.object(
    [
      ("id", .string(description: "Vapi's id (a UUID).")),
      ("provider", .string(enumValues: ["vapi", "twilio", "byo-phone-number", "vonage", "telnyx"])),
      ("number", .string(description: "E.164; absent for SIP-only numbers and while activating.")),
      ("name", .string(maxLength: 40)),
      ("status", .string(description: "active, activating or blocked.")),
      ("createdAt", .string(format: "date-time")),
      ("updatedAt", .string(format: "date-time")),
      ("smsEnabled", .boolean()),
      ("voiceOnly", .boolean(description: "True unless smsEnabled is true.")),
      (
        "fallbackDestination",
        .object(
          [
            ("type", .string(enumValues: ["number", "sip"])), ("number", .string()), ("sipUri", .string()),
            ("extension", .string()),
          ],
          required: ["type"])
      ),
      ("assistantId", .string()),
      ("sipUri", .string()),
    ], required: ["id", "provider", "createdAt", "voiceOnly"], description: "A number in the Vapi account.")

  static let example: JSONValue = [
    "id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "provider": "twilio", "number": "+14155550100", "name": "Main line",
    "status": "active", "createdAt": "2026-11-25T09:00:00.000Z", "updatedAt": "2026-11-25T09:00:00.000Z",
    "smsEnabled": false, "voiceOnly": true,
  ]

  static let vapiExample: JSONValue = [
    "id": "0b7d3c1e-9a4f-4c55-8e21-2f6d9b3a7c40", "provider": "vapi", "number": "+14155559876", "name": "Sales",
    "status": "active", "createdAt": "2026-11-25T09:05:00.000Z", "updatedAt": "2026-11-25T09:05:00.000Z",
    "voiceOnly": true, "fallbackDestination": ["type": "number", "number": "+14155550100"],
  ]
}
