import JSONRPC

/// How a method's request is ordered against the others on the same profile: the profile's stored
/// credentials are the shared resource.
extension Scheduling {
  /// The call uses the profile's credentials (a listing, a purchase, an update): it runs alongside
  /// the others that do, after any change to the credentials that arrived before it.
  static func usesCredentials(of profile: ProfileName) -> Scheduling { .shared(profile.schedulingKey) }

  /// The call changes the profile's credentials (set, clear, delete): it runs alone on the profile,
  /// after everything that arrived before it, so a purchase never sees half-written credentials.
  static func changesCredentials(of profile: ProfileName) -> Scheduling { .exclusive(profile.schedulingKey) }
}
