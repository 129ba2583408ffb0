import JSON
import JSONRPC
import Vault

/// `listOperations`: the ledger of what this profile changed upstream, newest first.
enum ListOperations: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param(description: "At most this many (default 100).") var limit: Limit?
    @Param var before: Cursor?
  }

  /// A paging cursor: an operation id (1 or more); only older operations are listed.
  struct Cursor: ParamValue {
    static let reason = "must be an operation id (1 or more)"
    static var schema: JSONSchema {
      .integer(description: "Only operations with a smaller id (paging).", minimum: 1)
    }
    let value: Int64

    static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Self {
      let value = try container.decode(Int64.self, forKey: key)
      guard value >= 1 else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
      }
      return Cursor(value: value)
    }
  }

  /// How many operations at most: 1-10,000.
  struct Limit: BoundedInteger {
    static let range = 1...10_000
    static let reason = "must be between 1 and 10000"
    let value: Int
  }
  struct Result: Encodable, Sendable {
    struct Operation: Encodable, Sendable {
      var id: Int64
      var at: String
      var method: String
      var target: String
      var outcome: String
      var numberId: String?
      var errorKind: String?
      var detail: String?
    }
    var operations: [Operation]
  }
  static let name = "listOperations"
  static let summary =
    "Lists what this profile changed upstream (imports, creations, updates, releases), newest first, with each outcome; readable even when Vapi is not."
  static let result = ContentDescriptor(
    "Operations",
    .object(
      [
        (
          "operations",
          .array(
            .object(
              [
                ("id", .integer()), ("at", .string(format: "date-time")), ("method", .string()), ("target", .string()),
                ("outcome", .string(enumValues: ["succeeded", "failed"])), ("numberId", .string()),
                ("errorKind", .string()), ("detail", .string()),
              ], required: ["id", "at", "method", "target", "outcome"]))
        )
      ], required: ["operations"]), required: true)
  static let errors = Errors.descriptors(.vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "recent", params: ["limit": 2],
      result: [
        "operations": [
          [
            "id": 2, "at": "2026-11-25T09:01:00.000Z", "method": "createNumber", "target": "415", "outcome": "failed",
            "errorKind": "upstream.error", "detail": "Vapi API error: 400 - area code 415 is not available",
          ],
          [
            "id": 1, "at": "2026-11-25T09:00:00.000Z", "method": "importNumber", "target": "+14155550100",
            "outcome": "succeeded",
            "numberId": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10",
          ],
        ]
      ])
  ]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let records = try service.vault().operations(
      profile: params.profile.orDefault.value, limit: params.limit?.value ?? 100, before: params.before?.value)
    return Result(
      operations: records.map {
        .init(
          id: $0.id, at: Timestamp.string($0.at), method: $0.method, target: $0.target, outcome: $0.outcome.rawValue,
          numberId: $0.numberId, errorKind: $0.errorKind, detail: $0.detail)
      })
  }
}
