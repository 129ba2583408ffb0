import Foundation
import JSON
import JSONRPC
import Telephony

/// Imports Twilio numbers into Vapi for one profile: looks each up in the Twilio account, refuses
/// what Vapi already holds before posting, posts the api-facts body (`smsEnabled: false`), and
/// records every attempt. One instance can import many numbers (`importNumbers`) and then fetches
/// the Vapi list only once; a single import asks Vapi's search instead (`VapiNumberIndex`).
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
  /// `lookup` is how the conflict check asks Vapi (see `VapiNumberIndex.Lookup`).
  init(service: SwitchboardService, credentials: ProfileCredentials, lookup: VapiNumberIndex.Lookup = .wholeList) throws
  {
    self.service = service
    profile = credentials.profile
    vapi = try service.vapiClient(credentials)
    twilio = try service.twilioClient(credentials)
    (accountSid, authToken) = try credentials.twilio()
    existing = VapiNumberIndex(vapi: vapi, lookup: lookup)
  }

  func run(_ target: Target, idempotencyKey: String?) async throws -> Number {
    var fingerprint: JSONObject = [:]
    if let sid = target.sid { fingerprint["sid"] = .string(sid) }
    if let phoneNumber = target.phoneNumber { fingerprint["phoneNumber"] = .string(phoneNumber) }
    if let name = target.name { fingerprint["name"] = .string(name) }
    if let prefix = target.namePrefix { fingerprint["namePrefix"] = .string(prefix) }
    let write = LedgeredWrite(
      service: service, profile: profile, method: ImportNumber.name, target: target.phoneNumber ?? target.sid ?? "",
      idempotencyKey: idempotencyKey, fingerprint: StoredOutcome.fingerprint(ImportNumber.name, fingerprint))
    return try await write.run(
      TwilioNumberImport(
        vapi: vapi, resolved: ResolvedTwilioNumber(target: target, twilio: twilio), existing: existing,
        accountSid: accountSid, authToken: authToken))
  }
}

/// Importing one Twilio number into Vapi (`POST /phone-number`, `smsEnabled: false`). A lost
/// attempt is recognised exactly, by the number's E.164.
struct TwilioNumberImport: AccountWrite {
  let vapi: VapiClient
  let resolved: ResolvedTwilioNumber
  let existing: VapiNumberIndex
  let accountSid: String
  let authToken: String

  func candidates(since: Date) async throws -> [VapiPhoneNumber] {
    let e164 = try await resolved.value().number
    return try await vapi.listPhoneNumbers().filter { $0.number == e164 }
  }

  func send(beforeSend: @Sendable () throws -> Void) async throws -> VapiPhoneNumber {
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
  }
}

/// Whether a number is already in the Vapi account, answered exactly.
actor VapiNumberIndex {
  /// How the index asks Vapi.
  enum Lookup: Sendable {
    /// Each number with Vapi's search (`GET /v2/phone-number?search=<digits>`: usually one
    /// request however large the account; only an exact match counts). For one import.
    case search
    /// The whole list once, kept up to date with imports (one request per 1000 numbers). For a
    /// batch.
    case wholeList
  }

  private let vapi: VapiClient
  private let lookup: Lookup
  private var byNumber: [String: VapiPhoneNumber]?
  /// Numbers seen created while searching.
  private var created: [String: VapiPhoneNumber] = [:]

  init(vapi: VapiClient, lookup: Lookup) {
    self.vapi = vapi
    self.lookup = lookup
  }

  func number(_ e164: String) async throws -> VapiPhoneNumber? {
    let digits = e164.hasPrefix("+") ? String(e164.dropFirst()) : e164
    if lookup == .search, !digits.isEmpty, digits.count <= 100 {
      if let known = created[e164] { return known }
      return try await vapi.searchPhoneNumbers(digits: digits).first { $0.number == e164 }
    }
    if byNumber == nil {
      var index: [String: VapiPhoneNumber] = [:]
      for number in try await vapi.listPhoneNumbers() { if let n = number.number { index[n] = number } }
      byNumber = index
    }
    return byNumber?[e164]
  }

  func add(_ number: VapiPhoneNumber) {
    guard let n = number.number else { return }
    if byNumber != nil { byNumber?[n] = number }
    created[n] = number
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
        "capabilities": [
          "voice": .bool(caps.voice), "sms": .bool(caps.sms), "mms": .bool(caps.mms), "fax": .bool(caps.fax),
        ],
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
