import Foundation

/// The decrypted credentials of one profile.
///
/// `description`, `debugDescription` and reflection (`dump`, `print`, string
/// interpolation, XCTest failure messages) list field names only, never values.
public struct StoredCredentials: Sendable, Equatable {
  /// The profile these credentials belong to.
  public var profile: String
  /// Fields whose box opened, with their plaintext values.
  public var values: [CredentialField: String]
  /// Fields whose stored box failed to open (tampered bytes, a row copied from
  /// another profile or field, or a key change). Not in ``values``.
  public var corrupt: Set<CredentialField>
  /// When each stored field (readable or corrupt) was last written.
  public var updatedAt: [CredentialField: Date]

  /// Creates a value; the vault builds these, tests and callers may too.
  public init(
    profile: String,
    values: [CredentialField: String] = [:],
    corrupt: Set<CredentialField> = [],
    updatedAt: [CredentialField: Date] = [:]
  ) {
    self.profile = profile
    self.values = values
    self.corrupt = corrupt
    self.updatedAt = updatedAt
  }

  /// The value of `field`, or nil if it is not set or corrupt.
  public subscript(field: CredentialField) -> String? { values[field] }

  /// Fields with a stored box (readable or corrupt), in declaration order.
  public var fieldsStored: [CredentialField] {
    Set(values.keys).union(corrupt).sorted()
  }

  /// True if nothing is stored for the profile.
  public var isEmpty: Bool { values.isEmpty && corrupt.isEmpty }

  /// Throws ``VaultError/corrupt(profile:fields:)`` if any of `fields` (all
  /// fields when nil) is corrupt.
  public func throwIfCorrupt(_ fields: Set<CredentialField>? = nil) throws {
    let bad = corrupt.intersection(fields ?? Set(CredentialField.allCases))
    if !bad.isEmpty {
      throw VaultError.corrupt(profile: profile, fields: bad.sorted())
    }
  }
}

extension StoredCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String {
    let set = values.keys.sorted().map(\.rawValue).joined(separator: ", ")
    let bad = corrupt.sorted().map(\.rawValue).joined(separator: ", ")
    return "StoredCredentials(profile: \(profile), set: [\(set)], corrupt: [\(bad)])"
  }

  public var debugDescription: String { description }

  public var customMirror: Mirror {
    Mirror(
      self,
      children: [
        "profile": profile,
        "set": values.keys.sorted().map(\.rawValue),
        "corrupt": corrupt.sorted().map(\.rawValue),
      ],
      displayStyle: .struct)
  }
}
