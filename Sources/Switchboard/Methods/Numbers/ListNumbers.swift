import JSON
import JSONRPC
import Synchronization
import Telephony

/// `listNumbers`: every number in the Vapi account, optionally searched and filtered.
enum ListNumbers: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param var search: Search?
    @Param(description: "Local filter.") var provider: Provider?
    @Param var areaCode: AreaCode?
    @Param var assistantId: AssistantFilter?
    @Param(description: "Local filter.") var status: Status?

    /// Whether `number` passes the filters Vapi cannot apply (all but `search`).
    func keeps(_ number: VapiPhoneNumber) -> Bool {
      if let provider, number.provider != provider.value { return false }
      if let status, number.status != status.value { return false }
      if let assistantId, number.assistantId != assistantId.value { return false }
      if let areaCode = areaCode?.value {
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

  /// Searched upstream: 1-100 characters.
  struct Search: ParamRule {
    static let reason = "must be 1-100 characters"
    static let schema = JSONSchema.string(
      description: "Upstream: part of the name, number or SIP URI (case-insensitive).", minLength: 1, maxLength: 100)
    let value: String
    static func isValid(_ text: String) -> Bool { !text.isEmpty && text.count <= 100 }
  }

  /// Filtered locally: one of Vapi's providers.
  struct Provider: ChoiceParam {
    static let values = ["vapi", "twilio", "byo-phone-number", "vonage", "telnyx"]
    let value: String
  }

  /// Filtered locally: the assistant answering calls (1-100 bytes).
  struct AssistantFilter: ParamRule {
    static let reason = "must be 1-100 characters"
    static let schema = JSONSchema.string(
      description: "Local filter: the assistant answering calls.", minLength: 1, maxLength: 100)
    let value: String
    static func isValid(_ id: String) -> Bool { !id.isEmpty && id.utf8.count <= 100 }
  }

  /// Filtered locally: one of Vapi's number statuses.
  struct Status: ChoiceParam {
    static let values = ["active", "activating", "blocked"]
    let value: String
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
    try await vapi.forEachPhoneNumberPage(search: params.search?.value) { page, progress in
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
