import JSON
import JSONRPC
import Synchronization
import Telephony

/// `listNumbers`: every number in the Vapi account, optionally searched and filtered.
enum ListNumbers: ServiceMethod {
  struct Params: Decodable, Sendable {
    var profile: ProfileName?
    var search: String?
    var provider: String?
    var areaCode: String?
    var assistantId: String?
    var status: String?

    enum CodingKeys: String, CodingKey { case profile, search, provider, areaCode, assistantId, status }

    init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      profile = try c.decodeIfPresent(ProfileName.self, forKey: .profile)
      search = try c.decodeIfPresent(
        .search, valid: { !$0.isEmpty && $0.count <= 100 }, reason: "must be 1-100 characters")
      provider = try c.decodeIfPresent(
        .provider, valid: Self.providers.contains,
        reason: "must be one of vapi, twilio, byo-phone-number, vonage, telnyx")
      areaCode = try c.decodeIfPresent(.areaCode, as: AreaCode.self)
      assistantId = try c.decodeIfPresent(
        .assistantId, valid: { !$0.isEmpty && $0.utf8.count <= 100 }, reason: "must be 1-100 characters")
      status = try c.decodeIfPresent(
        .status, valid: Self.statuses.contains, reason: "must be one of active, activating, blocked")
    }

    static let providers = ["vapi", "twilio", "byo-phone-number", "vonage", "telnyx"]
    static let statuses = ["active", "activating", "blocked"]

    /// Whether `number` passes the filters Vapi cannot apply (all but `search`).
    func keeps(_ number: VapiPhoneNumber) -> Bool {
      if let provider, number.provider != provider { return false }
      if let status, number.status != status { return false }
      if let assistantId, number.assistantId != assistantId { return false }
      if let areaCode {
        if let e164 = number.number {
          guard e164.hasPrefix("+1" + areaCode) else { return false }
        } else if number.numberDesiredAreaCode != areaCode {
          return false
        }
      }
      return true
    }

    var filtersLocally: Bool { provider != nil || status != nil || assistantId != nil || areaCode != nil }
  }

  struct Result: Encodable, Sendable {
    /// An array of `Number`, encoded page by page as the pages arrive (see `handle`).
    var numbers: JSONFragment
    var count: Int
  }
  static let name = "listNumbers"
  static let summary =
    "Lists every number in the Vapi account (all pages, not the first 100), newest first; optionally searched and filtered."
  static let description: String? =
    "`search` runs upstream: Vapi's `/v2/phone-number?search=` (partial, case-insensitive, on name, number or SIP URI). `provider`, `areaCode` (the `+1` area code of the number, or the requested area code of a number that has none yet), `assistantId` and `status` run locally, on each page as it arrives (Vapi has no such filters); filters combine with AND. With `partialResultToken`, each page's matching numbers are streamed as `$/progress` (an array of Number) as they arrive and the final result carries `numbers: []` and the total `count`, as LSP prescribes. Progress percentages count the numbers read (Vapi's `totalItems` for the search), not the matches."
  static let params = [
    ProfileParams.descriptor,
    ContentDescriptor(
      "search",
      .string(
        description: "Upstream: part of the name, number or SIP URI (case-insensitive).", minLength: 1, maxLength: 100)),
    ContentDescriptor(
      "provider",
      .string(description: "Local filter.", enumValues: ["vapi", "twilio", "byo-phone-number", "vonage", "telnyx"])),
    ContentDescriptor("areaCode", AreaCode.schema),
    ContentDescriptor(
      "assistantId", .string(description: "Local filter: the assistant answering calls.", minLength: 1, maxLength: 100)),
    ContentDescriptor(
      "status", .string(description: "Local filter.", enumValues: ["active", "activating", "blocked"])),
  ]
  static let reportsProgress = true
  static let result = ContentDescriptor(
    "Numbers",
    .object([("numbers", .array(.ref("Number"))), ("count", .integer(minimum: 0))], required: ["numbers", "count"]),
    required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
    .vaultLocked,
    .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample("all numbers", result: ["numbers": [Number.example, Number.vapiExample], "count": 2]),
    MethodExample(
      "searched and filtered", params: ["search": "415", "provider": "twilio"],
      result: ["numbers": [Number.example], "count": 1]),
  ]
  static let extensions: JSONObject = ["x-cancellable": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let vapi = try service.vapiClient(try service.credentials(params.profile.orDefault))
    context.beginProgress(
      title: params.search == nil ? "Listing Vapi numbers" : "Searching Vapi numbers", percentage: 0)
    // Without partial results, each page's matches are encoded into the reply's array as the page
    // arrives and the page is released: the numbers are never all held as models.
    struct Collected {
      var count = 0
      var numbers = JSONArrayBuilder()
    }
    let collected = Mutex(Collected())
    try await vapi.forEachPhoneNumberPage(search: params.search) { page, progress in
      let matching = params.filtersLocally ? page.filter(params.keeps) : page
      let total = try collected.withLock { collected in
        collected.count += matching.count
        if !context.wantsPartialResults {
          for number in matching { try collected.numbers.append(Number(number)) }
        }
        return collected.count
      }
      let message =
        params.filtersLocally ? "\(total) of \(progress.itemsSoFar) numbers match" : "\(progress.itemsSoFar) numbers"
      context.reportProgress(
        message: message,
        percentage: progress.totalItems.map { $0 == 0 ? 100 : min(100, progress.itemsSoFar * 100 / $0) })
      if context.wantsPartialResults, !matching.isEmpty || !params.filtersLocally {
        try context.sendPartialResult(matching.map(Number.init))
      }
    }
    let (count, numbers) = collected.withLock { ($0.count, $0.numbers.finish()) }
    context.endProgress(message: "\(count) numbers")
    return Result(numbers: numbers, count: count)
  }
}
