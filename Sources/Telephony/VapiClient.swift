import Foundation

/// The Vapi phone-number API (`/phone-number`, `/v2/phone-number`) and the call list (`/call`).
public struct VapiClient: Sendable {
  /// `https://api.vapi.ai`.
  public static let defaultBaseURL = URL(string: "https://api.vapi.ai")!
  /// Items requested per page (Vapi's maximum).
  public static let pageSize = 1000
  /// A listing stops with an error after this many pages (10 million numbers).
  public static let maxPages = 10_000

  private let baseURL: URL
  private let headers: [String: String]
  private let transport: HTTPTransport
  private let redactor: Redactor

  /// A client for the account of `apiKey` (a private key). `redactor` should know `apiKey`;
  /// when nil, one is made from `apiKey`.
  public init(
    baseURL: URL = VapiClient.defaultBaseURL, apiKey: String, transport: HTTPTransport, redactor: Redactor? = nil,
    version: String = "0"
  ) {
    self.baseURL = baseURL
    self.transport = transport
    self.redactor = redactor ?? Redactor(vapiKey: apiKey)
    self.headers = [
      "Authorization": "Bearer \(apiKey)",
      "Accept": "application/json",
      "User-Agent": "switchboard/\(version)",
    ]
  }

  /// Every number in the account, newest first, walking `/v2/phone-number` pages of 1000 past any
  /// cap. From page 2 on the set is pinned with `createdAtLe` = the newest `createdAt` of page 1,
  /// so numbers created during the walk do not shift pages; items are deduplicated by id.
  /// With `search`, only numbers whose name, number or SIP URI contain it (Vapi's partial,
  /// case-insensitive `search`, at most 100 characters).
  /// `onPage` receives each page's new items; cancellation is checked between pages.
  public func listPhoneNumbers(
    search: String? = nil,
    onPage: @Sendable ([VapiPhoneNumber], PageProgress) async throws -> Void = { _, _ in }
  ) async throws -> [VapiPhoneNumber] {
    var all: [VapiPhoneNumber] = []
    _ = try await walkPhoneNumbers(search: search, keep: { all.append(contentsOf: $0) }, onPage: onPage)
    return all
  }

  /// The same walk as `listPhoneNumbers`, without keeping the numbers: each page's new items go to
  /// `onPage` only, and are released once it returns (a 10,000-number account never has more than
  /// two pages of models alive). Returns how many distinct numbers there were.
  @discardableResult
  public func forEachPhoneNumberPage(
    search: String? = nil, onPage: @Sendable ([VapiPhoneNumber], PageProgress) async throws -> Void
  ) async throws -> Int {
    try await walkPhoneNumbers(search: search, keep: { _ in }, onPage: onPage)
  }

  /// The number whose E.164 is exactly `e164`, or nil: Vapi has no exact number filter, so this
  /// searches on the digits (without `+`, whose handling by `search` is unconfirmed) and keeps only
  /// the exact match among the partial matches.
  public func findPhoneNumber(e164: String) async throws -> VapiPhoneNumber? {
    try await searchPhoneNumbers(digits: String(e164.drop { $0 == "+" })).first { $0.number == e164 }
  }

  /// The numbers whose number, name or SIP URI contains `digits` (`GET /v2/phone-number?search=…`,
  /// every page, newest first): usually one request where the whole list takes one per 1000
  /// numbers. Vapi's search is a partial, case-insensitive match, so callers keep only the exact
  /// number they look for. `digits` longer than 100 characters (Vapi's limit) are refused.
  public func searchPhoneNumbers(digits: String) async throws -> [VapiPhoneNumber] {
    guard !digits.isEmpty, digits.count <= 100 else {
      throw UpstreamError(provider: .vapi, kind: .rejected, reason: "invalid search")
    }
    return try await listPhoneNumbers(search: digits)
  }

  /// Where one page of the walk is: its number and the pin (`createdAtLe`, from page 2 on).
  struct PageLocator: Sendable, Equatable {
    var page: Int
    var pin: String?
  }

  private func walkPhoneNumbers(
    search: String?, keep: ([VapiPhoneNumber]) -> Void,
    onPage: @Sendable ([VapiPhoneNumber], PageProgress) async throws -> Void
  ) async throws -> Int {
    var total = 0
    var seen = Set<String>()
    var pin: String?
    var page = 1
    // Page n + 1 is requested as soon as a quick pass over page n shows the walk goes on (the
    // same rule as below, less the "nothing new" check, which needs the parsed page: when that
    // stops the walk, the request ahead is cancelled), while page n is parsed.
    let pipeline = PagePipeline<PageLocator, VapiPhoneNumberPage> { number, locator, announce in
      var query: [(String, String)] = [
        ("limit", String(Self.pageSize)), ("page", String(locator.page)), ("sortOrder", "DESC"),
        ("sortBy", "createdAt"),
      ]
      if let pin = locator.pin { query.append(("createdAtLe", pin)) }
      if let search { query.append(("search", search)) }
      return try await send(.get, "/v2/phone-number", template: "/v2/phone-number", query: query) { data in
        try VapiPhoneNumberPage.read(data) { scan in
          let more = Self.walkGoesOn(scan.metadata, count: scan.count) && scan.count > 0 && number < Self.maxPages
          announce(more ? PageLocator(page: number + 1, pin: number == 1 ? scan.firstCreatedAt : locator.pin) : nil)
        }
      }
    }
    defer { pipeline.finish() }
    while true {
      try Task.checkCancellation()
      let result = try await pipeline.page(page, at: PageLocator(page: page, pin: pin))
      if page == 1 { pin = result.results.first?.createdAt }

      var fresh: [VapiPhoneNumber] = []
      fresh.reserveCapacity(result.results.count)
      for item in result.results where seen.insert(item.id).inserted {
        fresh.append(item)
      }
      total += fresh.count
      keep(fresh)
      try await onPage(fresh, PageProgress(page: page, itemsSoFar: total, totalItems: result.metadata?.totalItems))

      let more = Self.walkGoesOn(result.metadata, count: result.results.count)
      // A page with nothing new means the server is not advancing: stop rather than loop.
      if !more || result.results.isEmpty || fresh.isEmpty { return total }
      if page >= Self.maxPages {
        throw UpstreamError(provider: .vapi, kind: .unavailable, reason: "pagination did not end")
      }
      page += 1
    }
  }

  /// Whether Vapi says there is a page after one of `count` items: `hasNextPage`, else
  /// `currentPage < totalPages`, else a full page.
  static func walkGoesOn(_ meta: VapiPhoneNumberPage.Metadata?, count: Int) -> Bool {
    if let hasNext = meta?.hasNextPage { return hasNext }
    if let current = meta?.currentPage, let total = meta?.totalPages { return current < total }
    return count >= pageSize
  }

  /// `GET /phone-number/{id}`.
  public func getPhoneNumber(id: String) async throws -> VapiPhoneNumber {
    try await send(
      .get, "/phone-number/" + URLBuilding.encode(id), template: "/phone-number/{id}", as: VapiPhoneNumber.self)
  }

  /// `POST /phone-number` (never retried once it may have reached Vapi).
  public func createPhoneNumber(_ body: VapiCreateBody) async throws -> VapiPhoneNumber {
    try await send(.post, "/phone-number", template: "/phone-number", body: body.encoded(), as: VapiPhoneNumber.self)
  }

  /// `PATCH /phone-number/{id}`.
  public func updatePhoneNumber(id: String, _ body: VapiUpdateBody) async throws -> VapiPhoneNumber {
    try await send(
      .patch, "/phone-number/" + URLBuilding.encode(id), template: "/phone-number/{id}", body: body.encoded(),
      as: VapiPhoneNumber.self)
  }

  /// `DELETE /phone-number/{id}`: releases the number; returns the deleted object.
  public func deletePhoneNumber(id: String) async throws -> VapiPhoneNumber {
    try await send(
      .delete, "/phone-number/" + URLBuilding.encode(id), template: "/phone-number/{id}", as: VapiPhoneNumber.self)
  }

  /// `GET /call` for one saved number: at most `limit` (≤ 1000) calls with `createdAt` in
  /// [`createdAtGe`, `createdAtLt`) and, when given, `updatedAt` > `updatedAtGt`. Vapi answers a
  /// bare array with no cursor and no stated order: a page holding `limit` calls may be incomplete
  /// and the caller must split its window. Call objects are read leniently (`VapiCallPage`).
  public func listCalls(
    phoneNumberId: String, createdAtGe: String, createdAtLt: String, updatedAtGt: String? = nil, limit: Int = 1000
  ) async throws -> VapiCallPage {
    var query: [(String, String)] = [
      ("phoneNumberId", phoneNumberId), ("limit", String(limit)), ("createdAtGe", createdAtGe),
      ("createdAtLt", createdAtLt),
    ]
    if let updatedAtGt { query.append(("updatedAtGt", updatedAtGt)) }
    return try await send(.get, "/call", template: "/call", query: query, as: VapiCallPage.self)
  }

  /// `GET /phone-number?limit=1`: succeeds when the key is a valid private key for this region;
  /// a refused key throws `UpstreamError` with kind `.unauthorized`.
  public func checkCredentials() async throws {
    _ = try await send(.get, "/phone-number", template: "/phone-number", query: [("limit", "1")], as: IgnoredBody.self)
  }

  private func send<T: WireReadable>(
    _ method: HTTPMethod, _ path: String, template: String, query: [(String, String)] = [], body: Data? = nil,
    as type: T.Type
  ) async throws -> T {
    try await send(method, path, template: template, query: query, body: body) { try T.read($0) }
  }

  private func send<T: Sendable>(
    _ method: HTTPMethod, _ path: String, template: String, query: [(String, String)] = [], body: Data? = nil,
    decode: (Data) throws -> T
  ) async throws -> T {
    guard let url = URLBuilding.url(baseURL, path: path, query: query) else {
      throw UpstreamError(provider: .vapi, kind: .unavailable, reason: "invalid URL")
    }
    var headers = self.headers
    if body != nil { headers["Content-Type"] = "application/json" }
    let request = HTTPRequest(method: method, url: url, headers: headers, body: body, pathTemplate: template)
    do {
      return try await transport.send(request, provider: .vapi, redactor: redactor, decode: decode)
    } catch let error as UpstreamError {
      throw error.notFoundOnlyForOneResource(template)
    }
  }
}
