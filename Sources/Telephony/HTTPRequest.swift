import Foundation

/// The HTTP methods the clients use.
public enum HTTPMethod: String, Sendable {
  /// A read: retried on transient failures.
  case get = "GET"
  /// Creates (may spend money): never retried once it may have reached the server.
  case post = "POST"
  /// Updates: retried like POST.
  case patch = "PATCH"
  /// Releases a number: retried like POST.
  case delete = "DELETE"

  /// Reads are retried freely; everything else may spend money and is retried only when it
  /// provably was not processed.
  public var isRetriableRead: Bool { self == .get }
}

/// One upstream request as the clients build it.
public struct HTTPRequest: Sendable {
  /// The method.
  public var method: HTTPMethod
  /// The full URL. Never logged, never put into an error.
  public var url: URL
  /// Header fields (names as sent). Never logged, never put into an error.
  public var headers: [String: String]
  /// The body, if any.
  public var body: Data?
  /// The path with ids and SIDs replaced by placeholders, e.g. `/phone-number/{id}`: the only
  /// part of the request that reaches `HTTPEvent`.
  public var pathTemplate: String

  /// Creates a request.
  public init(method: HTTPMethod, url: URL, headers: [String: String] = [:], body: Data? = nil, pathTemplate: String) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.pathTemplate = pathTemplate
  }
}
