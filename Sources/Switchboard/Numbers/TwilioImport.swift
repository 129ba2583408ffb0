import Foundation
import JSON
import JSONRPC
import Telephony

/// Imports Twilio numbers into Vapi for one profile: looks each up in the Twilio account, refuses
/// what Vapi already holds before posting, posts the api-facts body (`smsEnabled: false`), and
/// records every attempt. One instance can import many numbers (`importNumbers`) and then fetches
/// the Vapi list only once.
struct TwilioImport: Sendable {
  /// What to import: exactly one of `sid` / `phoneNumber`, and how to name it.
  struct Target: Sendable {
    var sid: String?
    var phoneNumber: String?
    var name: String?
    /// Prepended to the Twilio friendly name when no `name` is given.
    var namePrefix: String?
  }

  let service: SwitchboardService
  let profile: String
  let vapi: VapiClient
  let twilio: TwilioClient
  let accountSid: String
  let authToken: String
  let existing: VapiNumberIndex

  /// Checks both providers' credentials (`credentials.missing`, Vapi first) before any network call.
  /// A `batch` import reads the Vapi list once for all its numbers; a single import looks its one
  /// number up (`findPhoneNumber`: one search request on an account of any size).
  init(service: SwitchboardService, credentials: ProfileCredentials, batch: Bool = false) throws {
    self.service = service
    profile = credentials.profile
    vapi = try service.vapiClient(credentials)
    twilio = try service.twilioClient(credentials)
    (accountSid, authToken) = try credentials.twilio()
    existing = VapiNumberIndex(vapi: vapi, listOnce: batch)
  }

  func run(_ target: Target, idempotencyKey: String?) async throws -> Number {
    var fingerprint: JSONObject = [:]
    if let sid = target.sid { fingerprint["sid"] = .string(sid) }
    if let phoneNumber = target.phoneNumber { fingerprint["phoneNumber"] = .string(phoneNumber) }
    if let name = target.name { fingerprint["name"] = .string(name) }
    if let prefix = target.namePrefix { fingerprint["namePrefix"] = .string(prefix) }
    let change = AccountChange(
      service: service, profile: profile, method: ImportNumber.name, target: target.phoneNumber ?? target.sid ?? "",
      idempotencyKey: idempotencyKey, fingerprint: StoredOutcome.fingerprint(ImportNumber.name, fingerprint))
    let resolved = ResolvedTwilioNumber(target: target, twilio: twilio)
    let (vapi, existing, accountSid, authToken) = (self.vapi, self.existing, self.accountSid, self.authToken)
    return try await change.run(
      reconcile: { _ in
        let e164 = try await resolved.value().number
        return try await vapi.listPhoneNumbers().filter { $0.number == e164 }
      },
      perform: { beforeSend in
        let (e164, name) = try await resolved.value()
        if let already = try await existing.number(e164) {
          throw DomainError(
            .conflict, "This number is already in Vapi.", data: ["resource": "phoneNumber", "vapiId": .string(already.id)])
        }
        try Task.checkCancellation()
        try beforeSend()
        do {
          let created = try await vapi.createPhoneNumber(
            .twilio(number: e164, twilioAccountSid: accountSid, twilioAuthToken: authToken, name: name))
          await existing.add(created)
          return created
        } catch let error as UpstreamError where error.kind == .rejected && error.looksLikeDuplicate {
          throw DomainError(.conflict, error.summary, data: ["resource": "phoneNumber", "provider": "vapi"])
        }
      })
  }
}

/// The Vapi account's numbers by E.164: with `listOnce`, the whole list fetched on first use and
/// kept up to date with imports; otherwise each number looked up on its own (an exact match among
/// `/v2/phone-number?search=<digits>` results).
actor VapiNumberIndex {
  private let vapi: VapiClient
  private let listOnce: Bool
  private var byNumber: [String: VapiPhoneNumber]?

  init(vapi: VapiClient, listOnce: Bool = true) {
    self.vapi = vapi
    self.listOnce = listOnce
  }

  func number(_ e164: String) async throws -> VapiPhoneNumber? {
    if !listOnce, byNumber == nil { return try await vapi.findPhoneNumber(e164: e164) }
    if byNumber == nil {
      var index: [String: VapiPhoneNumber] = [:]
      for number in try await vapi.listPhoneNumbers() { if let n = number.number { index[n] = number } }
      byNumber = index
    }
    return byNumber?[e164]
  }

  func add(_ number: VapiPhoneNumber) {
    if let n = number.number { byNumber?[n] = number }
  }
}

/// The Twilio number to import, looked up once, for both reconciliation and the import.
actor ResolvedTwilioNumber {
  private let target: TwilioImport.Target
  private let twilio: TwilioClient
  private var resolved: (number: String, name: String?)?

  init(target: TwilioImport.Target, twilio: TwilioClient) {
    self.target = target
    self.twilio = twilio
  }

  func value() async throws -> (number: String, name: String?) {
    if let resolved { return resolved }
    // Both ways in go through Twilio: it proves the account owns the number and gives its friendly name.
    let record: TwilioIncomingNumber?
    do {
      if let sid = target.sid {
        record = try await twilio.fetchIncomingPhoneNumber(sid: sid)
      } else {
        record = try await twilio.findIncomingPhoneNumber(phoneNumber: target.phoneNumber ?? "")
      }
    } catch let error as UpstreamError where error.kind == .notFound {
      record = nil
    }
    guard let record else {
      throw DomainError(
        .notFound, "Your Twilio account has no such number.", data: ["provider": "twilio", "resource": "twilioNumber"])
    }
    // Vapi takes voice calls only: a fax- or SMS-only number is refused before anything is sent.
    guard record.capabilities.voice else { throw Self.notVoiceCapable(record) }
    let name: String?
    if let given = target.name {
      name = given
    } else {
      let base = (target.namePrefix ?? "") + record.friendlyName
      name = base.isEmpty ? nil : NumberName.truncated(base)
    }
    resolved = (record.phoneNumber, name)
    return (record.phoneNumber, name)
  }
}

extension ResolvedTwilioNumber {
  /// `notVoiceCapable`, naming the number and what it can do.
  static func notVoiceCapable(_ record: TwilioIncomingNumber) -> DomainError {
    let caps = record.capabilities
    let can = [("sms", caps.sms), ("mms", caps.mms), ("fax", caps.fax)].filter(\.1).map(\.0)
    let list = can.isEmpty ? "none" : can.joined(separator: ", ")
    return DomainError(
      .notVoiceCapable,
      "\(record.phoneNumber) cannot take voice calls (Twilio capabilities: \(list)); only voice numbers can be imported.",
      data: [
        "provider": "twilio", "resource": "twilioNumber", "phoneNumber": .string(record.phoneNumber),
        "capabilities": ["voice": .bool(caps.voice), "sms": .bool(caps.sms), "mms": .bool(caps.mms), "fax": .bool(caps.fax)],
      ])
  }
}

extension UpstreamError {
  /// Vapi answers a duplicate import with a 400 whose message says so.
  var looksLikeDuplicate: Bool {
    guard provider == .vapi, let message = upstreamMessage?.lowercased() else { return false }
    return message.contains("already")
  }
}
