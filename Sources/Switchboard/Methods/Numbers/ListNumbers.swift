import JSON
import JSONRPC
import Telephony

/// `listNumbers`: every number in the Vapi account.
enum ListNumbers: ServiceMethod {
  typealias Params = ProfileParams
  struct Result: Encodable, Sendable {
    var numbers: [Number]
    var count: Int
  }
  static let name = "listNumbers"
  static let summary = "Lists every number in the Vapi account (all pages, not the first 100), newest first."
  static let description: String? =
    "With `partialResultToken`, each page is streamed as `$/progress` (an array of Number) as it arrives and the final result carries `numbers: []` and the total `count`, as LSP prescribes."
  static let params = [ProfileParams.descriptor]
  static let reportsProgress = true
  static let result = ContentDescriptor(
    "Numbers", .object([("numbers", .array(.ref("Number"))), ("count", .integer(minimum: 0))], required: ["numbers", "count"]),
    required: true)
  static let errors = Errors.descriptors(
    .credentialsMissing, .upstreamUnauthorized, .upstreamError, .upstreamUnavailable, .upstreamRateLimited, .vaultLocked,
    .vaultCorrupt, .vaultUnavailable, .vaultUnsafe)
  static let examples = [
    MethodExample("all numbers", result: ["numbers": [Number.example, Number.vapiExample], "count": 2])
  ]
  static let extensions: JSONObject = ["x-cancellable": true]

  static func scheduling(for params: Params) -> Scheduling { .usesCredentials(of: params.profile.orDefault) }

  static func handle(_ params: Params, context: RequestContext, service: SwitchboardService) async throws -> Result {
    let vapi = try service.vapiClient(try service.credentials(params.profile.orDefault))
    context.beginProgress(title: "Listing Vapi numbers", percentage: 0)
    let numbers = try await vapi.listPhoneNumbers { page, progress in
      context.reportProgress(
        message: "\(progress.itemsSoFar) numbers", percentage: progress.totalItems.map { $0 == 0 ? 100 : progress.itemsSoFar * 100 / $0 })
      if context.wantsPartialResults { try context.sendPartialResult(page.map(Number.init)) }
    }
    context.endProgress(message: "\(numbers.count) numbers")
    return Result(numbers: context.wantsPartialResults ? [] : numbers.map(Number.init), count: numbers.count)
  }
}
