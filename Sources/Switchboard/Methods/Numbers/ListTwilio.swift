import JSON
import JSONRPC
import Synchronization
import Telephony

/// `listTwilio`: the voice-capable numbers of the Twilio account, each marked imported or not.
enum ListTwilio: ServiceMethod {
  struct Params: MethodParams {
    @Param var profile: ProfileName?
    @Param(description: "Also list numbers without voice capability (default false).") var includeNonVoice: Bool?
  }
  struct Result: Encodable, Sendable {
    /// An array of `TwilioNumber`, encoded page by page (see `PartialPageStream`).
    var numbers: JSONFragment
    var count: Int
    /// False when no Vapi key is stored, so `imported` could not be checked.
    var vapiChecked: Bool
  }
  static let name = "listTwilio"
  static let summary =
    "Lists every number of the Twilio account (all pages), voice-capable only unless `includeNonVoice`, each with `imported` and `vapiId` from the Vapi list."
  static let description: String? =
    "Needs the Twilio credentials; the Vapi list is fetched at the same time when a Vapi key is stored (else `vapiChecked` is false and every `imported` is false). With `partialResultToken` each page is streamed as `$/progress` and the final result carries `numbers: []` and the total `count`."
  static let reportsProgress = true
  static let result = ContentDescriptor(
    "TwilioNumbers",
    .object(
      [("numbers", .array(.ref("TwilioNumber"))), ("count", .integer(minimum: 0)), ("vapiChecked", .boolean())],
      required: ["numbers", "count", "vapiChecked"]), required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited,
    .vaultLocked,
    .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample(
      "voice numbers",
      result: [
        "numbers": [
          [
            "sid": "PN0123456789abcdef0123456789abcdef", "phoneNumber": "+14155550100",
            "friendlyName": "(415) 555-0100",
            "capabilities": ["voice": true, "sms": true, "mms": false, "fax": false], "imported": true,
            "vapiId": "6f9c2f5e-3b8a-4d2e-9a51-6c1e2b7d9f10",
          ],
          [
            "sid": "PNfedcba9876543210fedcba9876543210", "phoneNumber": "+14155550101", "friendlyName": "Support",
            "capabilities": ["voice": true, "sms": false, "mms": false, "fax": false], "imported": false,
          ],
        ], "count": 2, "vapiChecked": true,
      ])
  ]
  static let extensions: JSONObject = ["x-cancellable": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let credentials = try service.credentials(params.profile.orDefault)
    let twilio = try service.twilioClient(credentials)
    let vapi = credentials.hasVapi ? try service.vapiClient(credentials) : nil
    let includeNonVoice = params.includeNonVoice ?? false
    context.beginProgress(title: "Listing Twilio numbers", percentage: 0)

    // The Vapi list (for `imported`) is fetched alongside; Twilio pages stream as partial results
    // (or into the reply) as soon as that index is known, earlier pages are held until then.
    let stream = PartialPageStream(context: context, includeNonVoice: includeNonVoice)
    let vapiTask = Task { () throws -> Void in
      // Built page by page: the Vapi models are released as each page is indexed.
      let building = Mutex<[String: String]>([:])
      try await vapi?.forEachPhoneNumberPage { page, _ in building.withLock { ImportedIndex.add(page, to: &$0) } }
      let index = building.withLock { $0 }
      try stream.indexReady(index)
    }
    do {
      try await withTaskCancellationHandler {
        try await twilio.forEachIncomingPhoneNumberPage { page, progress in
          context.reportProgress(message: "\(progress.itemsSoFar) Twilio numbers")
          try stream.page(page)
        }
      } onCancel: {
        vapiTask.cancel()
      }
    } catch {
      vapiTask.cancel()
      throw error
    }
    try await withTaskCancellationHandler {
      try await vapiTask.value
    } onCancel: {
      vapiTask.cancel()
    }
    let (numbers, count) = stream.finish()
    context.endProgress(message: "\(count) numbers")
    return Result(numbers: numbers, count: count, vapiChecked: vapi != nil)
  }
}
