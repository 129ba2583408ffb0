import JSON
import JSONRPC
import Synchronization
import Telephony
import Vault

/// `getUsage`: calls, minutes, cost and last call per number, from Vapi's call list, cached.
enum GetUsage: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param(description: "Numbers to report; default: every number of the account.") var ids: DistinctList<NumberID>?
    @Param(description: "Start of the window (inclusive); default: 30 days before until.") var since: DateTime?
    @Param(description: "End of the window (exclusive); default: now.") var until: DateTime?
    @Param(
      description:
        "Answer from the cache without asking Vapi when it covers the window and is at most this old; default 0.")
    var maxAgeSeconds: MaxAge?

    func validate() throws {
      if let since, let until, since.milliseconds >= until.milliseconds {
        throw ParamsError(pointer: "/until", reason: "must be later than since")
      }
    }
  }

  /// An ISO 8601 date-time, read as milliseconds since 1970.
  struct DateTime: ParamRule {
    static let reason = "must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z"
    static let schema = JSONSchema.string(format: "date-time")
    let value: String
    let milliseconds: Int64
    init(value: String) {
      self.value = value
      milliseconds = UsageTime.parse(value) ?? 0
    }
    static func isValid(_ text: String) -> Bool { UsageTime.parse(text) != nil }
  }

  /// How old a cached answer may be, in seconds (at most a year).
  struct MaxAge: BoundedInteger {
    static let range = 0...31_536_000
    static let reason = "must be 0-31536000"
    let value: Int
  }

  /// One number's usage over the window.
  struct Item: Encodable, Sendable {
    var id: String
    var calls: Int
    var inbound: Int
    var outbound: Int
    var notEnded: Int
    var minutes: Double
    var costUsd: Double
    var lastCallAt: String?
    var since: String
    var until: String
    var syncedAt: String
    var fromCache: Bool
    var requests: Int
    var unreadableCalls: Int
  }

  struct Result: Encodable, Sendable {
    var usage: [Item]
    var since: String
    var until: String
    var requests: Int
  }

  static let defaultWindowDays: Int64 = 30

  static let name = "getUsage"
  static let summary =
    "Usage per number over a window: calls (inbound/outbound), minutes, cost in USD and the last call, from Vapi's call list; cached and refreshed incrementally."
  static let description: String? =
    "Without `ids`, every number of the account (one `listNumbers` walk first). The window is [`since`, `until`) on the calls' `createdAt`; `until` defaults to now and `since` to 30 days before `until`. Calls come from `GET /call?phoneNumberId=…` (a bare array of at most 1000, no cursor): each window is asked with `createdAtGe`/`createdAtLt` and split in two while its page comes back full. Minutes are Σ(`endedAt` − `startedAt`) over calls that have both; cost is Σ `cost` (USD); `notEnded` counts calls whose status is not `ended` (their minutes and cost may still grow). Call objects without a readable `id` or `createdAt` (or naming another number) are not counted: `unreadableCalls` says how many this request met. Calls are cached per number in the store with the range known to be complete; a later request asks Vapi only for the part of the window outside that range and for calls updated since the newest `updatedAt` seen (usually one request per number), or nothing at all when the cache covers the window and was synced at most `maxAgeSeconds` ago (`fromCache`, `syncedAt`; without `until`, a cache complete up to its sync time covers a window ending now). Vapi keeps calls only for the org's retention period: older calls are simply not counted (not an error). Calls deleted upstream stay counted. Progress: one report per number; with `partialResultToken` each number's usage is streamed and the final `usage` is `[]`. Cancellable between requests; numbers finished before a cancel stay cached."
  static let reportsProgress = true
  static let itemSchema = JSONSchema.object(
    [
      ("id", NumberID.schema), ("calls", .integer(minimum: 0)), ("inbound", .integer(minimum: 0)),
      ("outbound", .integer(minimum: 0)), ("notEnded", .integer(minimum: 0)),
      ("minutes", .number(description: "Σ (endedAt − startedAt) / 60 s.")), ("costUsd", .number()),
      ("lastCallAt", .string(format: "date-time")), ("since", .string(format: "date-time")),
      ("until", .string(format: "date-time")),
      ("syncedAt", .string(description: "When Vapi was last asked about this number.", format: "date-time")),
      ("fromCache", .boolean(description: "True when this request asked Vapi nothing for this number.")),
      ("requests", .integer(minimum: 0)), ("unreadableCalls", .integer(minimum: 0)),
    ],
    required: [
      "id", "calls", "inbound", "outbound", "notEnded", "minutes", "costUsd", "since", "until", "syncedAt", "fromCache",
      "requests", "unreadableCalls",
    ], description: "One number's usage over the window.")
  static let result = ContentDescriptor(
    "Usage",
    .object(
      [
        ("usage", .array(itemSchema)), ("since", .string(format: "date-time")), ("until", .string(format: "date-time")),
        ("requests", .integer(minimum: 0)),
      ], required: ["usage", "since", "until", "requests"]), required: true)
  static let errors =
    [
      ErrorDescriptor(code: RPCError.requestCancelledCode, message: "Request cancelled.")
    ]
    + Errors.descriptors(
      .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
      .usageRefused,
      .usageTooDense, .vaultLocked, .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "one number, November",
      params: [
        "ids": ["6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10"], "since": "2026-11-01T00:00:00Z",
        "until": "2026-12-01T00:00:00Z",
      ],
      result: [
        "usage": [
          [
            "id": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10", "calls": 42, "inbound": 30, "outbound": 12, "notEnded": 0,
            "minutes": .number("131.5"), "costUsd": .number("12.87"), "lastCallAt": "2026-11-24T17:03:11.204Z",
            "since": "2026-11-01T00:00:00.000Z", "until": "2026-12-01T00:00:00.000Z",
            "syncedAt": "2026-11-25T09:00:00.000Z",
            "fromCache": false, "requests": 1, "unreadableCalls": 0,
          ]
        ],
        "since": "2026-11-01T00:00:00.000Z", "until": "2026-12-01T00:00:00.000Z", "requests": 1,
      ])
  ]
  static let extensions: JSONObject = ["x-cancellable": true]

  /// Numbers synced at once.
  static let concurrency = 4

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    let vault = try service.vault()
    let now = UsageTime.now()
    let until = params.until?.milliseconds ?? now
    let since = params.since?.milliseconds ?? until - defaultWindowDays * 86_400_000
    guard since < until else { throw RPCError.invalidParams(field: "/until", reason: "must be later than since") }
    context.beginProgress(title: "Reading call usage", percentage: 0)
    let ids: [String]
    if let given = params.ids?.values {
      ids = given
    } else {
      context.reportProgress(message: "listing numbers", percentage: 0)
      ids = try await vapi.listPhoneNumbers().map(\.id)
    }
    let sync = UsageSync(vault: vault, vapi: vapi, profile: credentials.profile)
    let maxAge = Int64(params.maxAgeSeconds?.value ?? 0) * 1000
    var items = [Item?](repeating: nil, count: ids.count)
    var done = 0
    try await withThrowingTaskGroup(of: (Int, Item).self) { group in
      var next = 0
      func launch() {
        guard next < ids.count else { return }
        let (index, id) = (next, ids[next])
        next += 1
        group.addTask {
          let outcome = try await sync.sync(
            numberId: id, since: since, until: until, untilIsNow: params.until == nil, now: now, maxAge: maxAge)
          let totals = try vault.usageTotals(profile: credentials.profile, numberId: id, from: since, until: until)
          return (index, item(id: id, totals: totals, outcome: outcome, since: since, until: until))
        }
      }
      for _ in 0..<min(concurrency, ids.count) { launch() }
      while let (index, item) = try await group.next() {
        items[index] = item
        done += 1
        if context.wantsPartialResults { try context.sendPartialResult([item]) }
        context.reportProgress(message: "\(done) of \(ids.count) numbers", percentage: done * 100 / max(1, ids.count))
        launch()
      }
    }
    let usage = items.compactMap { $0 }
    context.endProgress(message: "\(usage.count) numbers")
    return Result(
      usage: context.wantsPartialResults ? [] : usage, since: UsageTime.format(since), until: UsageTime.format(until),
      requests: usage.reduce(0) { $0 + $1.requests })
  }

  static func item(id: String, totals: UsageTotals, outcome: UsageSync.Outcome, since: Int64, until: Int64) -> Item {
    Item(
      id: id, calls: totals.calls, inbound: totals.inbound, outbound: totals.outbound, notEnded: totals.notEnded,
      minutes: (totals.seconds / 60 * 1000).rounded() / 1000, costUsd: (totals.cost * 1_000_000).rounded() / 1_000_000,
      lastCallAt: totals.lastCallAt.map(UsageTime.format), since: UsageTime.format(since),
      until: UsageTime.format(until),
      syncedAt: UsageTime.format(outcome.syncedAt), fromCache: outcome.fromCache, requests: outcome.requests,
      unreadableCalls: outcome.unreadable)
  }
}
