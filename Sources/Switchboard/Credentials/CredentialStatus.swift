import Foundation
import JSON
import JSONRPC
import Vault

/// Which credentials a profile holds, with non-secret hints only.
public struct CredentialStatus: Encodable, Sendable, Equatable {
  /// One field's state.
  public struct Field: Encodable, Sendable, Equatable {
    public var set: Bool
    /// Present (true) when the stored value no longer opens: set it again.
    public var corrupt: Bool?
    /// A non-secret hint: the last 4 characters of the Vapi key, the Account SID masked, the transfer number.
    public var hint: String?
    public var updatedAt: String?
  }

  /// Whether a provider can be used (all its fields set and readable).
  public struct Provider: Encodable, Sendable, Equatable {
    public var configured: Bool
  }

  public var profile: String
  public var vapi: Provider
  public var twilio: Provider
  public var fields: [String: Field]

  enum CodingKeys: String, CodingKey { case profile, vapi, twilio, fields }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(profile, forKey: .profile)
    try container.encode(vapi, forKey: .vapi)
    try container.encode(twilio, forKey: .twilio)
    var fieldsContainer = container.nestedContainer(keyedBy: DynamicCodingKey.self, forKey: .fields)
    for field in CredentialField.allCases {
      try fieldsContainer.encode(fields[field.rawValue], forKey: DynamicCodingKey(field.rawValue))
    }
  }

  init(_ stored: StoredCredentials) {
    profile = stored.profile
    func usable(_ field: CredentialField) -> Bool { stored.values[field] != nil }
    vapi = Provider(configured: usable(.vapiPrivateKey))
    twilio = Provider(configured: usable(.twilioAccountSid) && usable(.twilioAuthToken))
    var fields: [String: Field] = [:]
    for field in CredentialField.allCases {
      let value = stored.values[field]
      let corrupt = stored.corrupt.contains(field)
      fields[field.rawValue] = Field(
        set: value != nil || corrupt, corrupt: corrupt ? true : nil,
        hint: value.flatMap { Self.hint(field, $0) },
        updatedAt: stored.updatedAt[field].map { Timestamp.string($0) })
    }
    self.fields = fields
  }

  static func hint(_ field: CredentialField, _ value: String) -> String? {
    switch field {
    case .vapiPrivateKey: value.count > 8 ? "…" + value.suffix(4) : "…"
    case .twilioAccountSid: "AC…" + value.suffix(4)
    case .twilioAuthToken: nil
    case .transferPhoneNumber: value
    }
  }

  static let fieldSchema = JSONSchema.object(
    [
      ("set", .boolean()), ("corrupt", .boolean(description: "The stored value is damaged; set it again.")),
      ("hint", .string(description: "Non-secret hint (never the secret).")),
      ("updatedAt", .string(format: "date-time")),
    ], required: ["set"])

  static let schema = JSONSchema.object(
    [
      ("profile", .string()),
      ("vapi", .object([("configured", .boolean())], required: ["configured"])),
      ("twilio", .object([("configured", .boolean())], required: ["configured"])),
      (
        "fields",
        .object(
          CredentialField.allCases.map { ($0.rawValue, fieldSchema) },
          required: CredentialField.allCases.map(\.rawValue))
      ),
    ], required: ["profile", "vapi", "twilio", "fields"],
    description: "Which credentials a profile holds. Never contains a secret.")

  static let example: JSONValue = [
    "profile": "default", "vapi": ["configured": true], "twilio": ["configured": true],
    "fields": [
      "vapiPrivateKey": ["set": true, "hint": "…9f3a", "updatedAt": "2026-11-25T09:00:00.000Z"],
      "twilioAccountSid": ["set": true, "hint": "AC…42ab", "updatedAt": "2026-11-25T09:00:00.000Z"],
      "twilioAuthToken": ["set": true, "updatedAt": "2026-11-25T09:00:00.000Z"],
      "transferPhoneNumber": ["set": false],
    ],
  ]
}

/// A coding key made from a string at run time.
struct DynamicCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { return nil }
}

/// ISO-8601 timestamps with milliseconds, UTC.
enum Timestamp {
  static func string(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }
}
