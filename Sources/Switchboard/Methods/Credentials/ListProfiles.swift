import JSON
import JSONRPC
import Vault

/// `listProfiles`: the profiles that hold anything.
enum ListProfiles: ServiceMethod {
  typealias Params = NoParams
  struct Result: Encodable, Sendable {
    struct Profile: Encodable, Sendable {
      var name: String
      var createdAt: String
      var updatedAt: String
      var fieldsSet: [String]
    }
    var profiles: [Profile]
  }
  static let name = "listProfiles"
  static let summary = "Lists the profiles in the store, with which credential fields each holds (no values)."
  static let result = ContentDescriptor(
    "Profiles",
    .object(
      [
        (
          "profiles",
          .array(
            .object(
              [
                ("name", .string()), ("createdAt", .string(format: "date-time")),
                ("updatedAt", .string(format: "date-time")),
                ("fieldsSet", .array(.string(enumValues: CredentialField.allCases.map(\.rawValue)))),
              ], required: ["name", "createdAt", "updatedAt", "fieldsSet"]))
        )
      ], required: ["profiles"]), required: true)
  static let errors = Errors.descriptors(.vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "two profiles",
      result: [
        "profiles": [
          [
            "name": "client-a", "createdAt": "2026-11-25T09:00:00.000Z", "updatedAt": "2026-11-25T09:00:00.000Z",
            "fieldsSet": ["vapiPrivateKey"],
          ],
          [
            "name": "default", "createdAt": "2026-11-24T09:00:00.000Z", "updatedAt": "2026-11-25T08:00:00.000Z",
            "fieldsSet": ["twilioAccountSid", "twilioAuthToken", "vapiPrivateKey"],
          ],
        ]
      ])
  ]

  static func handle(_ params: NoParams, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let profiles = try service.vault().listProfiles()
    return Result(
      profiles: profiles.map {
        .init(
          name: $0.name, createdAt: Timestamp.string($0.createdAt), updatedAt: Timestamp.string($0.updatedAt),
          fieldsSet: $0.fieldsSet.map(\.rawValue))
      })
  }
}
