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
      sid = try c.decodeIfPresent(String.self, forKey: .sid)
      phoneNumber = try c.decodeIfPresent(String.self, forKey: .phoneNumber)
      name = try c.decodeIfPresent(String.self, forKey: .name)
      idempotencyKey = try c.decodeIfPresent(String.self, forKey: .idempotencyKey)
      switch (sid, phoneNumber) {
      case (nil, nil):
        throw DecodingError.dataCorruptedError(forKey: .sid, in: c, debugDescription: "give exactly one of sid or phoneNumber")
      case (.some, .some):
        throw DecodingError.dataCorruptedError(forKey: .phoneNumber, in: c, debugDescription: "give exactly one of sid or phoneNumber")
      default: break
      }
      if let sid, !Formats.isPhoneNumberSid(sid) {
        throw DecodingError.dataCorruptedError(forKey: .sid, in: c, debugDescription: "must be PN followed by 32 hex digits")
      }
      if let phoneNumber, !Formats.isE164(phoneNumber) {
        throw DecodingError.dataCorruptedError(forKey: .phoneNumber, in: c, debugDescription: Formats.e164Reason)
      }
      if let name, !NumberName.isValid(name) {
        throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription: NumberName.reason)
      }
      if let idempotencyKey, !IdempotencyKey.isValid(idempotencyKey) {
        throw DecodingError.dataCorruptedError(forKey: .idempotencyKey, in: c, debugDescription: "must be 1-255 printable characters")
      }
    }
  }
  typealias Result = Number
  static let name = "importNumber"
  static let summary = "Imports a number of the Twilio account into Vapi, voice only (`smsEnabled: false`)."
  static let description: String? =
    "Give exactly one of `sid` (a PN… SID, resolved to its E.164 number through Twilio) or `phoneNumber` (E.164). Without `name` the Twilio friendly name is reused (cut to 40 characters). A number the Vapi list already holds is `conflict`, decided before anything is posted. Vapi rewrites the number's voice webhook; its messaging webhook is left alone."
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
      perform: {
        let (e164, name) = try await resolved.value()
        if let existing = try await vapi.listPhoneNumbers().first(where: { $0.number == e164 }) {
          throw DomainError(
            .conflict, "This number is already in Vapi.",
            data: ["resource": "phoneNumber", "vapiId": .string(existing.id)])
        }
        try Task.checkCancellation()
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
    let value: (String, String?)
    if let sid = params.sid {
      let record: TwilioIncomingNumber
      do {
        record = try await twilio.fetchIncomingPhoneNumber(sid: sid)
      } catch let error as UpstreamError where error.kind == .notFound {
        throw DomainError(
          .notFound, "Your Twilio account has no number with this SID.",
          data: ["provider": "twilio", "resource": "twilioNumber"])
      }
      let name = params.name ?? (record.friendlyName.isEmpty ? nil : NumberName.truncated(record.friendlyName))
      value = (record.phoneNumber, name)
    } else {
      value = (params.phoneNumber!, params.name)
    }
    resolved = value
    return value
  }
}

extension UpstreamError {
  /// Vapi answers a duplicate import with a 400 whose message says so.
  var looksLikeDuplicate: Bool {
    guard provider == .vapi, let message = upstreamMessage?.lowercased() else { return false }
    return message.contains("already")
  }
}
