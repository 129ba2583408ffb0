import JSONRPC

/// Params of methods that take only `profile`.
struct ProfileParams: Decodable, Sendable {
  var profile: ProfileName?

  static let descriptor = ContentDescriptor("profile", ProfileName.schema)
}
