import Foundation
import Telephony
import Vault

/// The credentials a telephony method needs, read from the store and checked before any network call.
struct ProfileCredentials: Sendable {
  let profile: String
  let stored: StoredCredentials

  var transferNumber: String? { stored.values[.transferPhoneNumber] }
  var hasVapi: Bool { stored.values[.vapiPrivateKey] != nil }

  /// Throws `vault.corrupt` when one of `fields` is damaged.
  func requireReadable(_ fields: [CredentialField]) throws {
    let damaged = fields.filter { stored.corrupt.contains($0) }
    if !damaged.isEmpty { throw VaultError.corrupt(profile: profile, fields: damaged) }
  }

  /// The Vapi key, or `credentials.missing` (provider vapi).
  func vapiKey() throws -> String {
    try requireReadable([.vapiPrivateKey])
    guard let key = stored.values[.vapiPrivateKey] else { throw CredentialsMissing.vapi() }
    return key
  }

  /// The Twilio SID and token, or `credentials.missing` (provider twilio) listing what is absent.
  func twilio() throws -> (sid: String, token: String) {
    try requireReadable([.twilioAccountSid, .twilioAuthToken])
    let sid = stored.values[.twilioAccountSid]
    let token = stored.values[.twilioAuthToken]
    guard let sid, let token else {
      var missing: [CredentialField] = []
      if sid == nil { missing.append(.twilioAccountSid) }
      if token == nil { missing.append(.twilioAuthToken) }
      throw CredentialsMissing.twilio(missing: missing)
    }
    return (sid, token)
  }

  /// Masks every stored secret in upstream text.
  var redactor: Redactor {
    Redactor(
      vapiKey: stored.values[.vapiPrivateKey], accountSid: stored.values[.twilioAccountSid],
      authToken: stored.values[.twilioAuthToken])
  }
}

extension SwitchboardService {
  /// The profile's stored credentials.
  func credentials(_ profile: ProfileName) throws -> ProfileCredentials {
    ProfileCredentials(profile: profile.value, stored: try vault().readCredentials(profile: profile.value))
  }

  func vapiClient(_ credentials: ProfileCredentials) throws -> VapiClient {
    VapiClient(
      baseURL: upstream.vapiBaseURL, apiKey: try credentials.vapiKey(), transport: upstream.transport,
      redactor: credentials.redactor, version: SwitchboardVersion.current)
  }

  func twilioClient(_ credentials: ProfileCredentials) throws -> TwilioClient {
    let (sid, token) = try credentials.twilio()
    return TwilioClient(
      baseURL: upstream.twilioBaseURL, accountSid: sid, authToken: token, transport: upstream.transport,
      redactor: credentials.redactor, version: SwitchboardVersion.current)
  }
}

/// Where the upstream APIs are and the one HTTP transport every call shares.
final class UpstreamConfiguration: Sendable {
  let vapiBaseURL: URL
  let twilioBaseURL: URL
  let transport: HTTPTransport

  init(_ configuration: ServiceConfiguration, observer: @escaping @Sendable (HTTPEvent) -> Void) {
    vapiBaseURL = configuration.vapiBaseURL
    twilioBaseURL = configuration.twilioBaseURL
    transport = HTTPTransport(policy: configuration.http, environment: configuration.network, observer: observer)
  }
}
