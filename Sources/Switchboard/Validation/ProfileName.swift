import JSON
import JSONRPC
import Vault

/// A validated profile name: 1–64 characters of `A–Z a–z 0–9 . _ -`.
public struct ProfileName: Decodable, Sendable, Hashable, CustomStringConvertible {
  public static let `default` = ProfileName(unchecked: "default")
  public static let reason = "must be 1-64 characters of A-Z a-z 0-9 . _ -"
  public static let schema = JSONSchema.string(
    description: "Profile (account) to use; default \"default\". Profiles are fully isolated.",
    pattern: "^[A-Za-z0-9._-]{1,64}$")

  public let value: String
  public var description: String { value }

  init(unchecked value: String) { self.value = value }

  public init?(_ value: String) {
    guard Vault.isValidProfileName(value) else { return nil }
    self.value = value
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let raw = try container.decode(String.self)
    guard let name = ProfileName(raw) else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.reason)
    }
    self = name
  }

  /// The scheduling key for requests on this profile.
  var schedulingKey: String { "profile:" + value }
}

extension Optional where Wrapped == ProfileName {
  /// The given profile, or `default`.
  var orDefault: ProfileName { self ?? .default }
}
