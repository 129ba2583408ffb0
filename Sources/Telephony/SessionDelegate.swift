import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The delegate of both URLSessions. It works around two FoundationNetworking behaviours:
///
/// - Redirects are refused, so the `Authorization` header never follows a `Location` header
///   (FoundationNetworking re-sends all request headers to any redirect target). The 3xx is
///   returned as the response.
/// - A 401 carrying `WWW-Authenticate: Basic` (Twilio sends one) starts the authentication
///   challenge machinery, and with default handling the task then never completes: no callback,
///   no timeout (verified with Swift 6.3.1 on Linux). Challenges are therefore cancelled, and the
///   401 is remembered here so `InFlightRequest` can report it as a response (its body is lost).
final class SessionDelegate: NSObject, URLSessionTaskDelegate, Sendable {
  private let challenged = Mutex<[Int: Int]>([:])

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, didReceive challenge: URLAuthenticationChallenge,
    completionHandler: @escaping @Sendable (URLSession.AuthChallengeDisposition, URLCredential?) -> Void
  ) {
    let status = (challenge.failureResponse as? HTTPURLResponse)?.statusCode ?? 401
    challenged.withLock { $0[task.taskIdentifier] = status }
    completionHandler(.cancelAuthenticationChallenge, nil)
  }

  /// The status of the challenge that cancelled task `id`, if one did (and forgets it).
  func takeChallengeStatus(taskIdentifier id: Int) -> Int? {
    challenged.withLock { $0.removeValue(forKey: id) }
  }
}
