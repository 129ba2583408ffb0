import Foundation
import JSONRPC
import Telephony

/// `importNumber`: brings a Twilio number into Vapi, SMS left alone (`smsEnabled: false`).
enum ImportNumber: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var sid: String?
    var phoneNumber: String?
    var name: String?
    var idempotencyKey: String?

    enum CodingKeys: String, CodingKey { case profile, sid, phoneNumber, name, idempotencyKey }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      sid = try c.decodeIfPresent(.sid, valid: Formats.isPhoneNumberSid, reason: "must be PN followed by 32 hex digits")
      phoneNumber = try c.decodeIfPresent(.phoneNumber, valid: Formats.isE164, reason: Formats.e164Reason)
      name = try c.decodeIfPresent(.name, valid: NumberName.isValid, reason: NumberName.reason)
      idempotencyKey = try c.decodeIfPresent(.idempotencyKey, valid: IdempotencyKey.isValid, reason: IdempotencyKey.reason)
      if (sid == nil) == (phoneNumber == nil) {
        throw DecodingError.dataCorruptedError(
          forKey: sid == nil ? .sid : .phoneNumber, in: c, debugDescription: "give exactly one of sid or phoneNumber")
      }
    }
  }
  typealias Result = Number
  static let name = "importNumber"
  static let summary = "Imports a number of the Twilio account into Vapi, voice only (`smsEnabled: false`)."
  static let description: String? =
    "Give exactly one of `sid` (a PN… SID) or `phoneNumber` (E.164); either is looked up in the Twilio account first (`notFound` if it is not there). Without `name` the Twilio friendly name is reused (cut to 40 characters). A number the Vapi list already holds is `conflict`, decided before anything is posted. Vapi rewrites the number's voice webhook; its messaging webhook is left alone."
  static let params = [
    ProfileParams.descriptor,
    ContentDescriptor("sid", .string(description: "Twilio phone-number SID.", pattern: "^PN[0-9a-fA-F]{32}$")),
    ContentDescriptor("phoneNumber", .string(description: "The Twilio number, E.164.", pattern: "^\\+[1-9][0-9]{1,14}$")),
    ContentDescriptor("name", NumberName.schema),
    ContentDescriptor("idempotencyKey", IdempotencyKey.schema),
  ]
  static let result = ContentDescriptor("Number", .ref("Number"), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
    .upstreamOutcomeUnknown, .notFound, .conflict, .vaultLocked, .vaultCorrupt, .vaultUnavailable)
  static let examples = [
    MethodExample(
      "import by SID", params: ["sid": "PN0123456789abcdef0123456789abcdef", "name": "Main line", "idempotencyKey": "imp-7f3a"],
      result: Number.example)
  ]

  static func scheduling(for params: Params) -> Scheduling { .reading(params.profile.orDefault.schedulingKey) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Number {
    let credentials = try service.credentials(params.profile.orDefault)
    let vapi = try service.vapiClient(credentials)
    let twilio = try service.twilioClient(credentials)
    let (accountSid, authToken) = try credentials.twilio()
    var fingerprint: JSONObject = [:]
    if let sid = params.sid { fingerprint["sid"] = .string(sid) }
    if let phoneNumber = params.phoneNumber { fingerprint["phoneNumber"] = .string(phoneNumber) }
    if let name = params.name { fingerprint["name"] = .string(name) }
    let change = AccountChange(
      service: service, profile: credentials.profile, method: name, target: params.phoneNumber ?? params.sid ?? "",
      idempotencyKey: params.idempotencyKey, fingerprint: StoredOutcome.fingerprint(name, fingerprint))

    /// Resolves the E.164 number (and the name to use) once, for both reconciliation and the import.
    let resolved = ResolvedTwilioNumber(params: params, twilio: twilio)
    return try await change.run(
      reconcile: { _ in
        let e164 = try await resolved.value().number
        return try await vapi.listPhoneNumbers().filter { $0.number == e164 }
      },
      perform: { beforeSend in
        let (e164, name) = try await resolved.value()
        if let existing = try await vapi.listPhoneNumbers().first(where: { $0.number == e164 }) {
          throw DomainError(
            .conflict, "This number is already in Vapi.",
            data: ["resource": "phoneNumber", "vapiId": .string(existing.id)])
        }
        try Task.checkCancellation()
        try beforeSend()
        do {
          return try await vapi.createPhoneNumber(
            .twilio(number: e164, twilioAccountSid: accountSid, twilioAuthToken: authToken, name: name))
        } catch let error as UpstreamError where error.kind == .rejected && error.looksLikeDuplicate {
          throw DomainError(.conflict, error.summary, data: ["resource": "phoneNumber", "provider": "vapi"])
        }
      })
  }
}

/// The Twilio number to import, resolved on first use.
actor ResolvedTwilioNumber {
  private let params: ImportNumber.Params
  private let twilio: TwilioClient
  private var resolved: (number: String, name: String?)?

  init(params: ImportNumber.Params, twilio: TwilioClient) {
    self.params = params
    self.twilio = twilio
  }

  func value() async throws -> (number: String, name: String?) {
    if let resolved { return resolved }
    // Both ways in go through Twilio: it proves the account owns the number and gives its friendly name.
    let record: TwilioIncomingNumber?
    do {
      if let sid = params.sid {
        record = try await twilio.fetchIncomingPhoneNumber(sid: sid)
      } else {
        record = try await twilio.findIncomingPhoneNumber(phoneNumber: params.phoneNumber!)
      }
    } catch let error as UpstreamError where error.kind == .notFound {
      record = nil
    }
    guard let record else {
      throw DomainError(
        .notFound, "Your Twilio account has no such number.",
        data: ["provider": "twilio", "resource": "twilioNumber"])
    }
    let name = params.name ?? (record.friendlyName.isEmpty ? nil : NumberName.truncated(record.friendlyName))
    resolved = (record.phoneNumber, name)
    return (record.phoneNumber, name)
  }
}

extension UpstreamError {
  /// Vapi answers a duplicate import with a 400 whose message says so.
  var looksLikeDuplicate: Bool {
    guard provider == .vapi, let message = upstreamMessage?.lowercased() else { return false }
    return message.contains("already")
  }
}
