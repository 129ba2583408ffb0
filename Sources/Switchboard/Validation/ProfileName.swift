import JSON
import JSONRPC
import Vault

/// A validated profile name: 1–64 characters of `A–Z a–z 0–9 . _ -`.
public struct ProfileName: ParamValue, Hashable, CustomStringConvertible {
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

  /// A string that must be a valid name (`null` for a required profile is "expected a string, not null").
  public static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws
    -> ProfileName
  {
    guard let name = ProfileName(try container.decode(String.self, forKey: key)) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    return name
  }

  /// Absent or `null` is nil (one look-up of the member).
  public static func decodeParamIfPresent<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>)
    throws -> ProfileName?
  {
    guard let raw = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
    guard let name = ProfileName(raw) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: reason)
    }
    return name
  }

  /// The scheduling key for requests on this profile.
  var schedulingKey: String { "profile:" + value }
}

extension Optional where Wrapped == ProfileName {
  /// The given profile, or `default`.
  var orDefault: ProfileName { self ?? .default }
}
