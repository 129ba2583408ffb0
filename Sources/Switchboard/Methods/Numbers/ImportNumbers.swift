import JSON
import JSONRPC
import Telephony

/// `importNumbers`: imports several Twilio numbers, one after another; one failure never stops the rest.
enum ImportNumbers: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var sids: DistinctList<PhoneNumberSID>
    @Param var namePrefix: NamePrefix?
    @Param var idempotencyKey: BatchKey?
  }

  /// Put before each Twilio friendly name: shorter than a whole name.
  struct NamePrefix: ParamRule {
    static let reason = "must be shorter than \(NumberName.maxLength) characters"
    static let schema = JSONSchema.string(
      description: "Put before each Twilio friendly name.", maxLength: NumberName.maxLength - 1)
    let value: String
    static func isValid(_ prefix: String) -> Bool { prefix.utf16.count < NumberName.maxLength }
  }

  /// The batch's idempotency key: each SID runs under "<key>/<sid>" (35 more bytes), which must
  /// still be a valid key.
  struct BatchKey: ParamRule {
    static let maxLength = 255 - 35
    static let reason = "must be 1-\(maxLength) printable characters"
    static let schema = JSONSchema.string(
      description: "Makes the batch safe to retry: SID s runs under the key \"<key>/s\".", minLength: 1,
      maxLength: maxLength)
    let value: String
    static func isValid(_ key: String) -> Bool { IdempotencyKey.isValid(key) && key.utf8.count <= maxLength }
  }

  /// One SID's outcome.
  struct Item: Encodable, Sendable {
    struct Failure: Encodable, Sendable {
      var code: Int
      var message: String
      var data: JSONValue?
    }
    var sid: String
    var ok: Bool
    var number: Number?
    var error: Failure?
  }

  struct Result: Encodable, Sendable {
    var results: [Item]
    var imported: Int
    var failed: Int
  }

  static let name = "importNumbers"
  static let summary =
    "Imports several Twilio numbers (by SID) into Vapi, in the order given: one result per SID, and one failure never stops the rest."
  static let description: String? =
    "Each SID goes through `importNumber` (Twilio lookup, conflict check, `smsEnabled: false`, ledger row). Without a name the Twilio friendly name is used, after `namePrefix` when given (cut to 40 characters). With `idempotencyKey` K, each SID runs under the key `K/<sid>`, so the whole batch can be retried safely. On cancellation the reply is -32800 with `data.completed` (the results so far), `data.interrupted` (the SID being imported when the cancel came: its outcome is unknown) and `data.notAttempted` (the SIDs not tried)."
  static let reportsProgress = true
  static let result = ContentDescriptor(
    "ImportResults",
    .object(
      [
        (
          "results",
          .array(
            .object(
              [
                ("sid", .string()), ("ok", .boolean()), ("number", .ref("Number")),
                (
                  "error",
                  .object(
                    [("code", .integer()), ("message", .string()), ("data", .any())], required: ["code", "message"])
                ),
              ], required: ["sid", "ok"]))
        ),
        ("imported", .integer(minimum: 0)), ("failed", .integer(minimum: 0)),
      ], required: ["results", "imported", "failed"]), required: true)
  static let errors =
    [
      ErrorDescriptor(
        code: RPCError.requestCancelledCode, message: "Request cancelled.",
        data: ["completed": [], "interrupted": [], "notAttempted": ["PN0123456789abcdef0123456789abcdef"]])
    ] + Errors.descriptors(.credentialsMissing, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "two numbers, one already imported",
      params: [
        "sids": ["PN0123456789abcdef0123456789abcdef", "PNfedcba9876543210fedcba9876543210"], "namePrefix": "Acme ",
      ],
      result: [
        "results": [
          ["sid": "PN0123456789abcdef0123456789abcdef", "ok": true, "number": Number.example],
          [
            "sid": "PNfedcba9876543210fedcba9876543210", "ok": false,
            "error": [
              "code": 1008, "message": "This number is already in Vapi.",
              "data": [
                "kind": "conflict", "resource": "phoneNumber", "vapiId": "2f1c9a70-4b1e-4c8e-9d3a-5e7f6a8b9c0d",
              ],
            ],
          ],
        ], "imported": 1, "failed": 1,
      ])
  ]
  static let extensions: JSONObject = ["x-cancellable": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let importer = try TwilioImport(service: service, credentials: try service.credentials(params.profile.orDefault))
    let sids = params.sids.values
    let namePrefix = params.namePrefix?.value
    let total = sids.count
    context.beginProgress(title: "Importing \(total) numbers", percentage: 0)
    var results: [Item] = []
    for (index, sid) in sids.enumerated() {
      if Task.isCancelled { throw cancelled(results, interrupted: nil, notAttempted: Array(sids[index...])) }
      let item: Item
      do {
        let number = try await importer.run(
          .init(sid: sid, namePrefix: namePrefix), idempotencyKey: params.idempotencyKey.map { "\($0.value)/\(sid)" })
        item = Item(sid: sid, ok: true, number: number)
      } catch is CancellationError {
        throw cancelled(results, interrupted: sid, notAttempted: Array(sids[(index + 1)...]))
      } catch {
        let rpc = (error as? any RPCErrorConvertible)?.rpcError ?? .internalError
        item = Item(sid: sid, ok: false, error: .init(code: rpc.code, message: rpc.message, data: rpc.data))
      }
      results.append(item)
      try context.sendPartialResult([item])
      context.reportProgress(message: "\(index + 1) of \(total)", percentage: (index + 1) * 100 / total)
    }
    context.endProgress(message: "\(results.filter(\.ok).count) imported")
    let imported = results.filter(\.ok).count
    return Result(
      results: context.wantsPartialResults ? [] : results, imported: imported, failed: results.count - imported)
  }

  /// -32800 saying what was done before the cancel, which SID was being imported when it came
  /// (its outcome is unknown: retry it with the same key, or check `listNumbers`), and what was not attempted.
  private static func cancelled(_ completed: [Item], interrupted: String?, notAttempted: [String]) -> RPCError {
    var data: JSONObject = [:]
    data["completed"] = (try? JSONValueEncoder().encode(completed)) ?? .array([])
    data["interrupted"] = .array(interrupted.map { [.string($0)] } ?? [])
    data["notAttempted"] = .array(notAttempted.map { .string($0) })
    return RPCError(code: RPCError.requestCancelledCode, message: "Request cancelled.", data: .object(data))
  }
}
