import JSON
import JSONRPC
import Synchronization
import Telephony

/// `deleteNumbers`: releases several numbers from the Vapi account after a typed confirmation;
/// one failure never stops the rest.
enum DeleteNumbers: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var ids: DistinctList<NumberID>
    @Param(description: "Exactly \"release N numbers\", N being the number of ids (e.g. \"release 3 numbers\").")
    var confirm: String

    /// Checked before anything is sent: the whole batch is refused on a wrong confirmation.
    func validate() throws {
      let expected = Self.confirmation(ids.items.count)
      guard confirm == expected else {
        throw ParamsError(pointer: "/confirm", reason: "must be exactly \"\(expected)\"")
      }
    }

    static func confirmation(_ count: Int) -> String { "release \(count) numbers" }
  }

  /// One id's outcome.
  struct Item: Encodable, Sendable {
    var id: String
    var ok: Bool
    var number: Number?
    var error: ImportNumbers.Item.Failure?
  }

  struct Result: Encodable, Sendable {
    var results: [Item]
    var released: Int
    var failed: Int
  }

  static let name = "deleteNumbers"
  static let summary =
    "Releases several numbers from the Vapi account (irreversible), in the order given: `confirm` must be exactly \"release N numbers\" for the N ids; one result per id, and one failure never stops the rest."
  static let description: String? =
    "A `confirm` other than exactly `release N numbers` (N = the number of ids, digits, `numbers` even for 1) is -32602 with `data.field` `/confirm`, and nothing is sent. Each id then gets `DELETE /phone-number/{id}` (never retried once sent) and a ledger row (method `deleteNumbers`), exactly as `deleteNumber` records it. A Twilio number stays in the Twilio account: Twilio is never called. On cancellation the reply is -32800 with `data.released` (ids released before the cancel), `data.completed` (the results so far), `data.interrupted` (the id whose DELETE was in flight: its outcome is unknown, check `getNumber`) and `data.notAttempted` (ids never sent)."
  static let reportsProgress = true
  static let result = ContentDescriptor(
    "DeleteResults",
    .object(
      [
        (
          "results",
          .array(
            .object(
              [
                ("id", .string()), ("ok", .boolean()), ("number", .ref("Number")),
                (
                  "error",
                  .object(
                    [("code", .integer()), ("message", .string()), ("data", .any())], required: ["code", "message"])
                ),
              ], required: ["id", "ok"]))
        ),
        ("released", .integer(minimum: 0)), ("failed", .integer(minimum: 0)),
      ], required: ["results", "released", "failed"]), required: true)
  static let errors =
    [
      ErrorDescriptor(
        code: RPCError.invalidParamsCode, message: "Invalid params: /confirm must be exactly \"release 2 numbers\".",
        data: ["field": "/confirm", "reason": "must be exactly \"release 2 numbers\""]),
      ErrorDescriptor(
        code: RPCError.requestCancelledCode, message: "Request cancelled.",
        data: [
          "released": ["6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"], "completed": [], "interrupted": [],
          "notAttempted": ["0b7d3c1e-9a4f-4c55-8e21-2f6d9b3a7c40"],
        ]),
    ] + Errors.descriptors(.credentialsMissing, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "two numbers, one already gone",
      params: [
        "ids": ["6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "2f1c9a70-4b1e-4c8e-9d3a-5e7f6a8b9c0d"],
        "confirm": "release 2 numbers",
      ],
      result: [
        "results": [
          ["id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "ok": true, "number": Number.example],
          [
            "id": "2f1c9a70-4b1e-4c8e-9d3a-5e7f6a8b9c0d", "ok": false,
            "error": [
              "code": 1007, "message": "Vapi has no such phone number.",
              "data": ["kind": "notFound", "provider": "vapi", "status": 404, "resource": "phoneNumber"],
            ],
          ],
        ], "released": 1, "failed": 1,
      ])
  ]
  static let extensions: JSONObject = ["x-cancellable": true, "x-destructive": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    _ = try service.vault()
    let ids = params.ids.values
    let total = ids.count
    context.beginProgress(title: "Releasing \(total) numbers", percentage: 0)
    var results: [Item] = []
    for (index, id) in ids.enumerated() {
      if Task.isCancelled { throw cancelled(results, interrupted: nil, notAttempted: Array(ids[index...])) }
      let sent = SentFlag()
      let write = LedgeredWrite(
        service: service, profile: credentials.profile, method: name, target: id, idempotencyKey: nil, fingerprint: "")
      let item: Item
      do {
        let number = try await write.run(TrackedRelease(release: NumberRelease(vapi: vapi, id: id), sent: sent))
        item = Item(id: id, ok: true, number: number)
      } catch is CancellationError {
        let rest = Array(ids[(index + 1)...])
        if sent.isSet { throw cancelled(results, interrupted: id, notAttempted: rest) }
        throw cancelled(results, interrupted: nil, notAttempted: [id] + rest)
      } catch {
        let rpc = (error as? any RPCErrorConvertible)?.rpcError ?? .internalError
        item = Item(id: id, ok: false, error: .init(code: rpc.code, message: rpc.message, data: rpc.data))
      }
      results.append(item)
      try context.sendPartialResult([item])
      context.reportProgress(message: "\(index + 1) of \(total)", percentage: (index + 1) * 100 / total)
    }
    let released = results.filter(\.ok).count
    context.endProgress(message: "\(released) released")
    return Result(
      results: context.wantsPartialResults ? [] : results, released: released, failed: results.count - released)
  }

  /// -32800 saying what was released before the cancel, which id's DELETE was in flight (its
  /// outcome is unknown) and which ids were never sent.
  private static func cancelled(_ completed: [Item], interrupted: String?, notAttempted: [String]) -> RPCError {
    var data: JSONObject = [:]
    data["released"] = .array(completed.filter(\.ok).map { .string($0.id) })
    data["completed"] = (try? JSONValueEncoder().encode(completed)) ?? .array([])
    data["interrupted"] = .array(interrupted.map { [.string($0)] } ?? [])
    data["notAttempted"] = .array(notAttempted.map { .string($0) })
    return RPCError(code: RPCError.requestCancelledCode, message: "Request cancelled.", data: .object(data))
  }
}

/// A `NumberRelease` that also tells whether its DELETE may have been sent (so a cancel can say
/// "interrupted" rather than "not attempted").
private struct TrackedRelease: AccountWrite {
  let release: NumberRelease
  let sent: SentFlag

  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber {
    try await release.send(beforeSend: {
      try beforeSend()
      sent.mark()
    })
  }
}

/// Set once a write may have reached upstream.
private final class SentFlag: Sendable {
  private let value = Mutex(false)
  func mark() { value.withLock { $0 = true } }
  var isSet: Bool { value.withLock { $0 } }
}
