import Crypto
import Foundation

/// AES-256-GCM sealing of credential values.
///
/// Each (profile, field) value is one sealed box stored in its `combined`
/// representation (12-byte nonce ‖ ciphertext ‖ 16-byte tag). The associated
/// data is the UTF-8 of `"switchboard/v1\0" + profile + "\0" + field`, so a
/// box copied to another profile's row or another field's row fails to open.
enum Sealing {
  /// Version/domain prefix of every associated-data string.
  static let domain = "switchboard/v1"

  /// Associated data binding a box to its profile and field.
  static func associatedData(profile: String, field: CredentialField) -> Data {
    Data("\(domain)\u{0}\(profile)\u{0}\(field.rawValue)".utf8)
  }

  /// Seals `plaintext` for `(profile, field)` with a fresh random nonce.
  static func seal(_ plaintext: String, profile: String, field: CredentialField, key: MasterKey) throws -> Data {
    try seal(Data(plaintext.utf8), associatedData: associatedData(profile: profile, field: field), key: key)
  }

  /// Opens a box sealed for `(profile, field)`; nil if it does not
  /// authenticate (wrong key, tampered bytes, moved row) or is not UTF-8.
  static func open(_ box: Data, profile: String, field: CredentialField, key: MasterKey) -> String? {
    guard let plaintext = open(box, associatedData: associatedData(profile: profile, field: field), key: key) else {
      return nil
    }
    return String(data: plaintext, encoding: .utf8)
  }

  // MARK: Key check

  /// The constant sealed into the `meta` table to recognise the right master key.
  static let keyCheckPlaintext = Data("switchboard/v1 key check".utf8)
  static let keyCheckAssociatedData = Data("\(domain)\u{0}meta\u{0}keyCheck".utf8)

  /// Seals the key-check constant with `key`.
  static func sealKeyCheck(key: MasterKey) throws -> Data {
    try seal(keyCheckPlaintext, associatedData: keyCheckAssociatedData, key: key)
  }

  /// True if `box` is the key-check constant sealed with `key`.
  static func verifyKeyCheck(_ box: Data, key: MasterKey) -> Bool {
    open(box, associatedData: keyCheckAssociatedData, key: key) == keyCheckPlaintext
  }

  // MARK: Primitives

  private static func seal(_ plaintext: Data, associatedData: Data, key: MasterKey) throws -> Data {
    do {
      let box = try AES.GCM.seal(plaintext, using: key.symmetricKey, authenticating: associatedData)
      guard let combined = box.combined else {
        throw VaultError.io("cannot seal a value")
      }
      return combined
    } catch let error as VaultError {
      throw error
    } catch {
      throw VaultError.io("cannot seal a value")
    }
  }

  private static func open(_ combined: Data, associatedData: Data, key: MasterKey) -> Data? {
    guard let box = try? AES.GCM.SealedBox(combined: combined) else { return nil }
    return try? AES.GCM.open(box, using: key.symmetricKey, authenticating: associatedData)
  }
}
