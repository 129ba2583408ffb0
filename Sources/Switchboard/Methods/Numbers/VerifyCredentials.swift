import JSON
import JSONRPC
import Telephony
import Vault

/// `verifyCredentials`: checks both providers' stored credentials with one cheap call each, concurrently.
enum VerifyCredentials: ServiceMethod {
  typealias Params = ProfileParams
  struct Check: Encodable, Sendable {
    struct Failure: Encodable, Sendable {
      var kind: String
      var message: String
    }
    var configured: Bool
    var ok: Bool
    var error: Failure?
  }
  struct Result: Encodable, Sendable {
    var vapi: Check
    var twilio: Check
  }
  static let name = "verifyCredentials"
  static let summary =
    "Checks the stored Vapi and Twilio credentials against the real APIs (one cheap read each, concurrently); a provider without credentials is `configured: false`, not an error."
  static let result = ContentDescriptor(
    "Verification",
    .object([("vapi", .ref("Check")), ("twilio", .ref("Check"))], required: ["vapi", "twilio"]), required: true)
  static let errors = Errors.descriptors(.vaultLocked, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "Vapi fine, Twilio not set up",
      result: [
        "vapi": ["configured": true, "ok": true],
        "twilio": [
          "configured": false, "ok": false,
          "error": ["kind": "credentials.missing", "message": .string(CredentialsMissing.twilioMessage)],
        ],
      ])
  ]

  static let checkSchema = JSONSchema.object(
    [
      ("configured", .boolean()), ("ok", .boolean()),
      ("error", .object([("kind", .string()), ("message", .string())], required: ["kind", "message"])),
    ], required: ["configured", "ok"])

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let credentials = try service.credentials(params.profile.orDefault)
    async let vapi = check { try await service.vapiClient(credentials).checkCredentials() }
    async let twilio = check { _ = try await service.twilioClient(credentials).checkCredentials() }
    return Result(vapi: await vapi, twilio: await twilio)
  }

  private static func check(_ body: @Sendable () async throws -> Void) async -> Check {
    do {
      try await body()
      return Check(configured: true, ok: true)
    } catch {
      let rpc = (error as? any RPCErrorConvertible)?.rpcError ?? .internalError
      let kind = errorKind(of: error)
      return Check(
        configured: kind != DomainError.Kind.credentialsMissing.rawValue, ok: false,
        error: .init(kind: kind, message: rpc.message))
    }
  }
}
