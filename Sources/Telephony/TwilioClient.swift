import Foundation

/// The Twilio REST API v2010 (IncomingPhoneNumbers, Accounts), with HTTP Basic auth.
public struct TwilioClient: Sendable {
  /// `https://api.twilio.com`.
  public static let defaultBaseURL = URL(string: "https://api.twilio.com")!
  /// Items requested per page (Twilio's maximum).
  public static let pageSize = 1000
  /// A listing stops with an error after this many pages.
  public static let maxPages = 10_000

  private let baseURL: URL
  private let accountSid: String
  private let headers: [String: String]
  private let transport: HTTPTransport
  private let redactor: Redactor

  /// A client for `accountSid` authenticated with `authToken`. `redactor` should know both;
  /// when nil, one is made from them.
  public init(
    baseURL: URL = TwilioClient.defaultBaseURL, accountSid: String, authToken: String, transport: HTTPTransport,
    redactor: Redactor? = nil, version: String = "0"
  ) {
    self.baseURL = baseURL
    self.accountSid = accountSid
    self.transport = transport
    self.redactor = redactor ?? Redactor(accountSid: accountSid, authToken: authToken)
    let credential = Data("\(accountSid):\(authToken)".utf8).base64EncodedString()
    self.headers = [
      "Authorization": "Basic \(credential)",
      "Accept": "application/json",
      "User-Agent": "switchboard/\(version)",
    ]
  }

  private var accountPath: String { "/2010-04-01/Accounts/" + URLBuilding.encode(accountSid) }

  /// Every number of the account: `IncomingPhoneNumbers.json?PageSize=1000`, then each
  /// `next_page_uri` until it is null; deduplicated by SID. `onPage` receives each page's new
  /// items; cancellation is checked between pages.
  public func listIncomingPhoneNumbers(
    onPage: @Sendable ([TwilioIncomingNumber], PageProgress) async throws -> Void = { _, _ in }
  ) async throws -> [TwilioIncomingNumber] {
    var all: [TwilioIncomingNumber] = []
    _ = try await walkIncomingPhoneNumbers(keep: { all.append(contentsOf: $0) }, onPage: onPage)
    return all
  }

  /// The same walk as `listIncomingPhoneNumbers`, without keeping the numbers: each page's new
  /// items go to `onPage` only. Returns how many distinct numbers there were.
  @discardableResult
  public func forEachIncomingPhoneNumberPage(
    onPage: @Sendable ([TwilioIncomingNumber], PageProgress) async throws -> Void
  ) async throws -> Int {
    try await walkIncomingPhoneNumbers(keep: { _ in }, onPage: onPage)
  }

  private func walkIncomingPhoneNumbers(
    keep: ([TwilioIncomingNumber]) -> Void,
    onPage: @Sendable ([TwilioIncomingNumber], PageProgress) async throws -> Void
  ) async throws -> Int {
    let template = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json"
    guard
      var url = URLBuilding.url(
        baseURL, path: accountPath + "/IncomingPhoneNumbers.json", query: [("PageSize", String(Self.pageSize))])
    else { throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "invalid URL") }
    var total = 0
    var seen = Set<String>()
    var visited = Set<String>()
    var page = 1
    // Page n + 1 is requested as soon as page n's `next_page_uri` is read, while page n is parsed.
    let pipeline = PagePipeline<URL, TwilioIncomingNumberPage> { number, url, announce in
      try await send(.get, url, template: template) { data in
        try TwilioIncomingNumberPage.read(data) { next in
          announce(number < Self.maxPages ? next.flatMap { $0.isEmpty ? nil : resolve(nextPageURI: $0) } : nil)
        }
      }
    }
    defer { pipeline.finish() }
    while true {
      try Task.checkCancellation()
      let result = try await pipeline.page(page, at: url)
      var fresh: [TwilioIncomingNumber] = []
      fresh.reserveCapacity(result.numbers.count)
      for item in result.numbers where seen.insert(item.sid).inserted {
        fresh.append(item)
      }
      total += fresh.count
      keep(fresh)
      try await onPage(fresh, PageProgress(page: page, itemsSoFar: total, totalItems: nil))

      guard let next = result.nextPageURI, !next.isEmpty, visited.insert(next).inserted else { return total }
      guard let nextURL = resolve(nextPageURI: next) else {
        throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "invalid next_page_uri")
      }
      if page >= Self.maxPages {
        throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "pagination did not end")
      }
      url = nextURL
      page += 1
    }
  }

  /// `GET …/IncomingPhoneNumbers/{sid}.json`: one number, e.g. to turn a PN SID into the E.164
  /// number Vapi's import needs.
  public func fetchIncomingPhoneNumber(sid: String) async throws -> TwilioIncomingNumber {
    guard
      let url = URLBuilding.url(
        baseURL, path: accountPath + "/IncomingPhoneNumbers/" + URLBuilding.encode(sid) + ".json")
    else { throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "invalid URL") }
    return try await send(
      .get, url, template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json",
      as: TwilioIncomingNumber.self)
  }

  /// The account's number with exactly this E.164 `phoneNumber`
  /// (`GET …/IncomingPhoneNumbers.json?PhoneNumber=…`), or nil when the account has none.
  public func findIncomingPhoneNumber(phoneNumber: String) async throws -> TwilioIncomingNumber? {
    guard
      let url = URLBuilding.url(
        baseURL, path: accountPath + "/IncomingPhoneNumbers.json",
        query: [("PhoneNumber", phoneNumber), ("PageSize", "50")])
    else { throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "invalid URL") }
    let page = try await send(
      .get, url, template: "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
      as: TwilioIncomingNumberPage.self)
    return page.numbers.first { $0.phoneNumber == phoneNumber }
  }

  /// `GET /2010-04-01/Accounts/{sid}.json` (the body's `auth_token` is never decoded).
  public func fetchAccount() async throws -> TwilioAccount {
    guard let url = URLBuilding.url(baseURL, path: accountPath + ".json")
    else { throw UpstreamError(provider: .twilio, kind: .unavailable, reason: "invalid URL") }
    return try await send(.get, url, template: "/2010-04-01/Accounts/{AccountSid}.json", as: TwilioAccount.self)
  }

  /// Fetches the account. Refused credentials throw kind `.unauthorized`; an account whose
  /// status is not `active` throws kind `.rejected` with `status` nil, `upstreamCode`
  /// `"account_not_active"` and `upstreamMessage` "account is suspended" (or "closed", …).
  public func checkCredentials() async throws -> TwilioAccount {
    let account = try await fetchAccount()
    guard account.status == "active" else {
      throw UpstreamError(
        provider: .twilio, kind: .rejected, upstreamCode: Self.accountNotActiveCode,
        upstreamMessage: "account is \(redactor.redact(account.status))")
    }
    return account
  }

  /// `upstreamCode` of the error `checkCredentials()` throws for a non-active account.
  public static let accountNotActiveCode = "account_not_active"

  /// `baseURL` + a relative `next_page_uri`. Absolute URIs are accepted only on the base's origin,
  /// so a response can never send the credentials elsewhere.
  private func resolve(nextPageURI next: String) -> URL? {
    if next.hasPrefix("/") && !next.hasPrefix("//") {
      // Twilio's URIs are absolute paths from the API root; a base URL with a path prefix keeps it.
      return URL(string: URLBuilding.trimmedBase(baseURL) + next)
    }
    guard let absolute = URL(string: next), let scheme = absolute.scheme?.lowercased(),
      scheme == baseURL.scheme?.lowercased(), absolute.host?.lowercased() == baseURL.host?.lowercased(),
      absolute.port == baseURL.port
    else { return nil }
    return absolute
  }

  private func send<T: WireReadable>(_ method: HTTPMethod, _ url: URL, template: String, as type: T.Type)
    async throws -> T
  {
    try await send(method, url, template: template) { try T.read($0) }
  }

  private func send<T: Sendable>(
    _ method: HTTPMethod, _ url: URL, template: String, decode: (Data) throws -> T
  ) async throws -> T {
    let request = HTTPRequest(method: method, url: url, headers: headers, pathTemplate: template)
    do {
      return try await transport.send(request, provider: .twilio, redactor: redactor, decode: decode)
    } catch let error as UpstreamError {
      throw error.notFoundOnlyForOneResource(template)
    }
  }
}
