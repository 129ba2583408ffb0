import Foundation
import JSON
import JSONRPC
import Telephony
import Vault

/// Brings the usage cache of one number up to date for a window, asking Vapi only for what the
/// cache lacks (api-facts §1.12.5).
///
/// `GET /call` has no cursor and no stated order, so windows are walked order-independently:
/// `[createdAtGe, createdAtLt)` with `limit=1000`; a window whose page comes back full is split in
/// two and both halves are asked again. Calls are cached per number and id (`Vault+Usage`), with the
/// `createdAt` range known to be complete. A later sync asks for the part of the window outside
/// that range in full and, inside it, only for calls updated after the newest `updatedAt` seen
/// (calls that ended or got their cost since), in one request with the part after it.
struct UsageSync: Sendable {
  let vault: Vault
  let vapi: VapiClient
  let profile: String
  /// Calls per request (Vapi's maximum).
  static let pageSize = 1000

  /// What one sync did.
  struct Outcome: Sendable {
    var requests = 0
    var unreadable = 0
    var syncedAt: Int64
    var fromCache: Bool
  }

  /// Makes the cache of `numberId` complete for [`since`, `until`) (ms). Nothing is asked when the
  /// cache already covers the window and was synced at most `maxAge` ms ago. When the window ends
  /// "now" (`untilIsNow`: the caller gave no `until`), a cache complete up to its own sync time
  /// covers it: calls since then are what `maxAge` accepts as not seen yet.
  func sync(
    numberId: String, since: Int64, until: Int64, untilIsNow: Bool = false, now: Int64, maxAge: Int64
  ) async throws -> Outcome {
    let old = try vault.usageCoverage(profile: profile, numberId: numberId)
    if let old, old.from <= since, old.until >= (untilIsNow ? min(until, old.syncedAt) : until),
      now - old.syncedAt <= maxAge
    {
      return Outcome(syncedAt: old.syncedAt, fromCache: true)
    }
    var outcome = Outcome(syncedAt: now, fromCache: false)
    var calls: [String: UsageCall] = [:]
    var coverage = UsageCoverage(from: since, until: until, maxUpdatedAt: nil, syncedAt: now)
    func take(_ from: Int64, _ to: Int64, updatedAfter: Int64? = nil) async throws {
      guard from < to else { return }
      try await walk(
        numberId: numberId, from: from, to: to, updatedAfter: updatedAfter, into: &calls, outcome: &outcome)
    }
    if let old {
      coverage = UsageCoverage(
        from: min(old.from, since), until: max(old.until, until), maxUpdatedAt: old.maxUpdatedAt, syncedAt: now)
      // Earlier than the cache (including any gap up to it): in full.
      try await take(since, old.from)
      // Inside the cache: only what changed since the newest `updatedAt` seen. Later than the
      // cache: every call, in the same request, since a call created at or after `old.until` was
      // updated after `old.until − 1` (asking from a lower watermark only returns a few calls again).
      let watermark = min(old.maxUpdatedAt ?? (old.from - 1), old.until - 1)
      try await take(old.from, max(old.until, until), updatedAfter: watermark)
    } else {
      try await take(since, until)
    }
    let kept = calls.values.filter { $0.createdAt >= coverage.from && $0.createdAt < coverage.until }
    let newest = kept.compactMap(\.updatedAt).max()
    coverage.maxUpdatedAt = [coverage.maxUpdatedAt, newest].compactMap { $0 }.max()
    try vault.storeUsage(profile: profile, numberId: numberId, calls: Array(kept), coverage: coverage)
    return outcome
  }

  /// Every call of `numberId` with `createdAt` in [`from`, `to`) (and `updatedAt` > `updatedAfter`),
  /// splitting the window while a page comes back full.
  private func walk(
    numberId: String, from: Int64, to: Int64, updatedAfter: Int64?, into calls: inout [String: UsageCall],
    outcome: inout Outcome
  ) async throws {
    var windows = [(from, to)]
    while let (a, b) = windows.popLast() {
      try Task.checkCancellation()
      let page: VapiCallPage
      do {
        page = try await vapi.listCalls(
          phoneNumberId: numberId, createdAtGe: UsageTime.format(a), createdAtLt: UsageTime.format(b),
          updatedAtGt: updatedAfter.map(UsageTime.format), limit: Self.pageSize)
      } catch let error as UpstreamError where error.kind == .rejected {
        throw Self.refused(error, numberId: numberId)
      }
      outcome.requests += 1
      if page.received >= Self.pageSize {
        guard b - a > 1 else {
          throw DomainError(
            .usageTooDense,
            "More than \(Self.pageSize) calls of one number share one millisecond: Vapi's call list cannot be walked past them.",
            data: ["provider": "vapi", "numberId": .string(numberId), "at": .string(UsageTime.format(a))])
        }
        let mid = a + (b - a) / 2
        windows.append((mid, b))
        windows.append((a, mid))
        continue
      }
      outcome.unreadable += page.skipped
      for call in page.calls {
        guard let usage = Self.usageCall(call, numberId: numberId), usage.createdAt >= a, usage.createdAt < b else {
          outcome.unreadable += 1
          continue
        }
        calls[usage.callId] = usage
      }
    }
  }

  /// The cached facts of `call`, or nil when its `createdAt` is unreadable or it names another number.
  static func usageCall(_ call: VapiCall, numberId: String) -> UsageCall? {
    guard let created = UsageTime.parse(call.createdAt) else { return nil }
    if let other = call.phoneNumberId, other != numberId { return nil }
    var seconds: Double?
    if let started = call.startedAt.flatMap(UsageTime.parse), let ended = call.endedAt.flatMap(UsageTime.parse) {
      seconds = Double(max(0, ended - started)) / 1000
    }
    return UsageCall(
      callId: call.id, createdAt: created, updatedAt: call.updatedAt.flatMap(UsageTime.parse), type: call.type,
      status: call.status, seconds: seconds, cost: call.cost)
  }

  static func refused(_ error: UpstreamError, numberId: String) -> DomainError {
    var data = error.domainError.data
    data["numberId"] = .string(numberId)
    return DomainError(.usageRefused, "Vapi refused to list the calls of a number: \(error.summary)", data: data)
  }
}

/// ISO-8601 instants as integer milliseconds since 1970 (UTC), parsed and written by hand: a sync
/// reads three of them per call, and tens of thousands of calls per request.
enum UsageTime {
  /// `2026-11-25T09:00:00.000Z` for `ms`.
  static func format(_ ms: Int64) -> String {
    let days = floorDiv(ms, 86_400_000)
    let inDay = ms - days * 86_400_000
    let (y, m, d) = civil(fromDays: days)
    func pad(_ v: Int64, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):"
      + "\(pad(inDay / 1000 % 60, 2)).\(pad(inDay % 1000, 3))Z"
  }

  /// Milliseconds for `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`; nil when unreadable.
  static func parse(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    func num(_ at: Int, _ count: Int) -> Int64? {
      guard at + count <= b.count else { return nil }
      var v: Int64 = 0
      for i in at..<(at + count) {
        guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
        v = v * 10 + Int64(b[i] - 0x30)
      }
      return v
    }
    guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20, b[13] == 0x3A,
      b[16] == 0x3A, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
      let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
    else { return nil }
    var i = 19
    var ms: Int64 = 0
    if i < b.count, b[i] == 0x2E {
      i += 1
      var digits = 0
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
        if digits < 3 { ms = ms * 10 + Int64(b[i] - 0x30) }
        digits += 1
        i += 1
      }
      guard digits > 0 else { return nil }
      var scale = digits
      while scale < 3 {
        ms *= 10
        scale += 1
      }
    }
    var offset: Int64 = 0
    guard i < b.count else { return nil }
    if b[i] == 0x5A || b[i] == 0x7A {
      i += 1
    } else if b[i] == 0x2B || b[i] == 0x2D {
      let sign: Int64 = b[i] == 0x2B ? 1 : -1
      guard let oh = num(i + 1, 2) else { return nil }
      var om: Int64 = 0
      if i + 3 < b.count, b[i + 3] == 0x3A {
        guard let v = num(i + 4, 2) else { return nil }
        om = v
        i += 6
      } else if let v = num(i + 3, 2) {
        om = v
        i += 5
      } else {
        i += 3
      }
      offset = sign * (oh * 60 + om) * 60_000
    } else {
      return nil
    }
    guard i == b.count else { return nil }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
    let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard d <= monthDays[Int(mo) - 1] else { return nil }
    let days = days(fromCivil: y, mo, d)
    return days * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms - offset
  }

  static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

  private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

  // Howard Hinnant's days-from-civil and its inverse.
  private static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }
}
