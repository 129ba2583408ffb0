import Foundation
import GRDB

/// One call as the usage cache keeps it: only what usage totals are made of.
public struct UsageCall: Sendable, Equatable {
  /// Vapi's call id.
  public var callId: String
  /// `createdAt`, milliseconds since 1970.
  public var createdAt: Int64
  /// `updatedAt`, milliseconds since 1970, when readable.
  public var updatedAt: Int64?
  /// `inboundPhoneCall`, `outboundPhoneCall`, … (open string).
  public var type: String?
  /// `ended`, `in-progress`, … (open string).
  public var status: String?
  /// `endedAt − startedAt` in seconds, when both are known.
  public var seconds: Double?
  /// Cost in USD, when known.
  public var cost: Double?

  /// Creates a value.
  public init(
    callId: String, createdAt: Int64, updatedAt: Int64? = nil, type: String? = nil, status: String? = nil,
    seconds: Double? = nil, cost: Double? = nil
  ) {
    self.callId = callId
    self.createdAt = createdAt
    self.updatedAt = updatedAt
    self.type = type
    self.status = status
    self.seconds = seconds
    self.cost = cost
  }
}

/// Which calls of one number the cache holds completely: every call with `createdAt` in
/// [`from`, `until`), as of `syncedAt`.
public struct UsageCoverage: Sendable, Equatable {
  /// Start of the covered `createdAt` range (ms, inclusive).
  public var from: Int64
  /// End of the covered `createdAt` range (ms, exclusive).
  public var until: Int64
  /// The newest `updatedAt` seen (ms), for asking only for calls changed since.
  public var maxUpdatedAt: Int64?
  /// When the upstream was last asked (ms).
  public var syncedAt: Int64

  /// Creates a value.
  public init(from: Int64, until: Int64, maxUpdatedAt: Int64?, syncedAt: Int64) {
    self.from = from
    self.until = until
    self.maxUpdatedAt = maxUpdatedAt
    self.syncedAt = syncedAt
  }
}

/// Usage totals of one number over a `createdAt` window, computed from the cache.
public struct UsageTotals: Sendable, Equatable {
  public var calls = 0
  public var inbound = 0
  public var outbound = 0
  /// Calls whose status is not `ended` (their minutes and cost may still change).
  public var notEnded = 0
  /// Σ (`endedAt − startedAt`) in seconds over calls having both.
  public var seconds = 0.0
  /// Σ cost in USD.
  public var cost = 0.0
  /// The newest `createdAt` (ms).
  public var lastCallAt: Int64?

  public init() {}
}

extension Vault {
  /// What the cache holds for `numberId` of `profile`, or nil.
  public func usageCoverage(profile: String, numberId: String) throws -> UsageCoverage? {
    try read("read usage coverage") { db in
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT * FROM usage_coverage WHERE profile = ? AND numberId = ?", arguments: [profile, numberId]),
        let from = row.lenient("coveredFrom", as: Int64.self), let until = row.lenient("coveredUntil", as: Int64.self),
        let synced = row.lenient("syncedAt", as: Int64.self)
      else { return nil }
      return UsageCoverage(from: from, until: until, maxUpdatedAt: row.lenient("maxUpdatedAt"), syncedAt: synced)
    }
  }

  /// Stores `calls` (replacing earlier copies of the same ids) and the new coverage of `numberId`,
  /// in one transaction.
  public func storeUsage(profile: String, numberId: String, calls: [UsageCall], coverage: UsageCoverage) throws {
    try write("store usage") { db in
      let statement = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO usage_calls (profile, numberId, callId, createdAt, updatedAt, type, status, seconds, cost)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      for call in calls {
        try statement.execute(arguments: [
          profile, numberId, call.callId, call.createdAt, call.updatedAt, call.type, call.status, call.seconds,
          call.cost,
        ])
      }
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO usage_coverage (profile, numberId, coveredFrom, coveredUntil, maxUpdatedAt, syncedAt)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [profile, numberId, coverage.from, coverage.until, coverage.maxUpdatedAt, coverage.syncedAt])
    }
  }

  /// Totals of `numberId` over calls with `createdAt` in [`from`, `until`).
  public func usageTotals(profile: String, numberId: String, from: Int64, until: Int64) throws -> UsageTotals {
    try read("read usage") { db in
      var totals = UsageTotals()
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT COUNT(*) AS calls,
              COALESCE(SUM(type = 'inboundPhoneCall'), 0) AS inbound,
              COALESCE(SUM(type = 'outboundPhoneCall'), 0) AS outbound,
              COALESCE(SUM(status IS NOT 'ended'), 0) AS notEnded,
              COALESCE(SUM(seconds), 0.0) AS seconds,
              COALESCE(SUM(cost), 0.0) AS cost,
              MAX(createdAt) AS lastCallAt
            FROM usage_calls WHERE profile = ? AND numberId = ? AND createdAt >= ? AND createdAt < ?
            """,
          arguments: [profile, numberId, from, until])
      else { return totals }
      totals.calls = row.lenient("calls") ?? 0
      totals.inbound = row.lenient("inbound") ?? 0
      totals.outbound = row.lenient("outbound") ?? 0
      totals.notEnded = row.lenient("notEnded") ?? 0
      totals.seconds = row.lenient("seconds") ?? 0
      totals.cost = row.lenient("cost") ?? 0
      totals.lastCallAt = row.lenient("lastCallAt")
      return totals
    }
  }
}
