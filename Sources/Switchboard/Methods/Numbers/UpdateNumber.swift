import JSON
import JSONRPC
import Telephony

/// `updateNumber`: rename a number or re-route it (fallback, assistant); `null` clears a field.
enum UpdateNumber: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var id: NumberID
    @Param var name: Nullable<NumberName>
    @Param(description: "E.164.") var fallbackNumber: Nullable<E164Number>
    @Param var assistantId: Nullable<AssistantID>

    func validate() throws {
      if name == .absent && fallbackNumber == .absent && assistantId == .absent {
        throw ParamsError(pointer: "", reason: "give at least one of name, fallbackNumber or assistantId")
      }
    }

    /// Which fields the update touches, for the ledger: "Changed name; cleared fallbackNumber" (never a value).
    var changeSummary: String {
      var parts: [String] = []
      let updates = [("name", body.name), ("fallbackNumber", body.fallbackNumber), ("assistantId", body.assistantId)]
      for (field, update) in updates {
        switch update {
        case .absent: continue
        case .null: parts.append("cleared \(field)")
        case .value: parts.append("set \(field)")
        }
      }
      let text = parts.joined(separator: "; ")
      return text.prefix(1).uppercased() + text.dropFirst()
    }

    var body: VapiUpdateBody {
      VapiUpdateBody(
        name: name.map(\.value), fallbackNumber: fallbackNumber.map(\.value), assistantId: assistantId.map(\.value))
    }
  }

  /// The assistant that answers the number (1-100 bytes).
  struct AssistantID: ParamRule {
    static let reason = "must be an assistant id"
    static let schema = JSONSchema.string(description: "The assistant that answers; null unassigns.")
    let value: String
    static func isValid(_ id: String) -> Bool { !id.isEmpty && id.utf8.count <= 100 }
  }

  typealias Result = Number
  static let name = "updateNumber"
  static let summary =
    "Renames a number or re-routes it: `name`, `fallbackNumber` (sent as a number fallback destination) and `assistantId`; absent keeps, null clears."
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
      service: service, profile: credentials.profile, method: name, target: params.id.value, idempotencyKey: nil,
      fingerprint: "")
    write.successDetail = params.changeSummary
    return try await write.run(NumberUpdate(vapi: vapi, id: params.id.value, body: params.body))
  }
}
