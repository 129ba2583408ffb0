import JSON
import JSONRPC
import Telephony

/// `updateNumber`: rename a number or re-route it (fallback, assistant); `null` clears a field.
enum UpdateNumber: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var id: String
    var name: Patch<String>
    var fallbackNumber: Patch<String>
    var assistantId: Patch<String>

    enum CodingKeys: String, CodingKey { case profile, id, name, fallbackNumber, assistantId }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      id = try c.decode(.id, as: NumberID.self)
      name = try c.decodePatch(.name, as: NumberName.self)
      fallbackNumber = try c.decodePatch(.fallbackNumber, as: E164Number.self)
      assistantId = try c.decodePatch(
        .assistantId, valid: { !$0.isEmpty && $0.utf8.count <= 100 }, reason: "must be an assistant id")
      if name == .keep && fallbackNumber == .keep && assistantId == .keep {
        throw DecodingError.dataCorrupted(
          .init(codingPath: c.codingPath, debugDescription: "give at least one of name, fallbackNumber or assistantId"))
      }
    }

    /// Which fields the update touches, for the ledger: "Changed name; cleared fallbackNumber" (never a value).
    var changeSummary: String {
      var parts: [String] = []
      for (field, patch) in [("name", name), ("fallbackNumber", fallbackNumber), ("assistantId", assistantId)] {
        switch patch {
        case .keep: continue
        case .clear: parts.append("cleared \(field)")
        case .set: parts.append("set \(field)")
        }
      }
      let text = parts.joined(separator: "; ")
      return text.prefix(1).uppercased() + text.dropFirst()
    }

    var body: VapiUpdateBody {
      func update(_ patch: Patch<String>) -> FieldUpdate<String> {
        switch patch {
        case .keep: .absent
        case .clear: .null
        case .set(let value): .value(value)
        }
      }
      return VapiUpdateBody(
        name: update(name), fallbackNumber: update(fallbackNumber), assistantId: update(assistantId))
    }
  }
  typealias Result = Number
  static let name = "updateNumber"
  static let summary =
    "Renames a number or re-routes it: `name`, `fallbackNumber` (sent as a number fallback destination) and `assistantId`; absent keeps, null clears."
  static let params = [
    ProfileParams.descriptor,
    ContentDescriptor("id", NumberID.schema, required: true),
    ContentDescriptor("name", .nullable(NumberName.schema)),
    ContentDescriptor("fallbackNumber", .nullable(E164Number.schema("E.164."))),
    ContentDescriptor("assistantId", .nullable(.string(description: "The assistant that answers; null unassigns."))),
  ]
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
    .upstreamOutcomeUnknown, .notFound, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "rename and drop the fallback",
      params: ["id": "0b7d3c1e-9a4f-4c55-8e21-2f6d9b3a7c40", "name": "Sales (West)", "fallbackNumber": nil],
      result: [
        "id": "0b7d3c1e-9a4f-4c55-8e21-2f6d9b3a7c40", "provider": "vapi", "number": "+14155559876",
        "name": "Sales (West)",
        "status": "active", "createdAt": "2026-11-25T09:05:00.000Z", "updatedAt": "2026-11-25T10:00:00.000Z",
        "voiceOnly": true,
      ])
  ]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    var write = LedgeredWrite(
      service: service, profile: credentials.profile, method: name, target: params.id, idempotencyKey: nil,
      fingerprint: "")
    write.successDetail = params.changeSummary
    return try await write.run(NumberUpdate(vapi: vapi, id: params.id, body: params.body))
  }
}
