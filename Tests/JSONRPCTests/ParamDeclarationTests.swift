import JSON
import XCTest

@testable import JSONRPC

/// A value kind with a rule of its own, for these tests: an even integer.
private struct Even: ParamValue, Equatable {
  let value: Int
  static let schema = JSONSchema.integer(description: "An even number.")

  static func decodeParam<Key: CodingKey>(_ key: Key, in container: KeyedDecodingContainer<Key>) throws -> Even {
    let value = try container.decode(Int.self, forKey: key)
    guard value % 2 == 0 else {
      throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be even")
    }
    return Even(value: value)
  }
}

/// Every shape a param can take, declared once.
private struct Sample: MethodParams {
  @Param var count: Even
  @Param(description: "How many more.") var extra: Even?
  @Param var label: Nullable<Even>
  @Param(description: "A name.") var name: String?
  @Param(schema: .integer(minimum: 1)) var page: Int?
  @Param var payload: JSONValue?

  func validate() throws {
    if name == "clash", extra != nil { throw ParamsError(pointer: "/name", reason: "not with extra") }
  }
}

private enum SampleMethod: RPCMethod {
  typealias Params = Sample
  typealias Result = JSONValue
  static let name = "sample"
  static let summary = "Echoes its count."
  static let result = ContentDescriptor("count", .integer(), required: true)
}

final class ParamDeclarationTests: XCTestCase {
  private func decode(_ params: JSONValue) throws(ParamsError) -> Sample {
    try JSONValueDecoder().decode(Sample.self, from: params)
  }

  /// The -32602 `data` a decode fails with: `[field, reason]`.
  private func failure(_ params: JSONValue, file: StaticString = #filePath, line: UInt = #line) -> [String] {
    do {
      _ = try decode(params)
      XCTFail("decoded \(params)", file: file, line: line)
      return []
    } catch {
      return [error.pointer, error.reason]
    }
  }

  func testDescriptorsFollowTheDeclarationInOrderWithWhatTheTypeSays() {
    let descriptors = Sample.descriptors
    XCTAssertEqual(descriptors.map(\.name), ["count", "extra", "label", "name", "page", "payload"])
    XCTAssertEqual(descriptors.map(\.required), [true, false, false, false, false, false])
    XCTAssertEqual(descriptors[0].schema, Even.schema)
    XCTAssertEqual(descriptors[1].schema, .integer(description: "How many more."))
    XCTAssertEqual(descriptors[2].schema, .nullable(Even.schema))
    XCTAssertEqual(descriptors[3].schema, .string(description: "A name."))
    XCTAssertEqual(descriptors[4].schema, .integer(minimum: 1))
    XCTAssertEqual(descriptors[5].schema, .any())
    XCTAssertTrue(descriptors.allSatisfy { $0.summary == nil })
    XCTAssertEqual(SampleMethod.params, descriptors)
    XCTAssertEqual(NoParams.descriptors, [])
  }

  func testTheEngineDeclaresItsOwnParamsTheSameWay() {
    let params = InitializeMethod.params
    XCTAssertEqual(
      params.map(\.name), ["processId", "clientInfo", "capabilities", "initializationOptions", "trace"])
    XCTAssertEqual(params[0].summary, "The client's pid; the server exits when it dies.")
    XCTAssertEqual(params[0].schema, .nullable(.integer(minimum: 1)))
    XCTAssertEqual(params[2].schema, .any(description: "Client capabilities (accepted, currently unused)."))
    XCTAssertNil(params[1].summary)
  }

  func testADescriptionTakesThePlaceTheSchemaBuildersGiveIt() {
    XCTAssertEqual(
      JSONSchema.string(pattern: "^a$", maxLength: 3).describing("Role."),
      .string(description: "Role.", pattern: "^a$", maxLength: 3))
    XCTAssertEqual(
      JSONSchema.string(description: "Own.", format: "date-time").describing("Role."),
      .string(description: "Role.", format: "date-time"))
    XCTAssertEqual(JSONSchema.any().describing("Role."), .any(description: "Role."))
    XCTAssertEqual(
      Nullable<Even>.schema(describedAs: "Role."), .nullable(.integer(description: "Role.")))
  }

  func testAPlainValueIsRequired() {
    XCTAssertEqual(failure([:]), ["/count", "required"])
    XCTAssertEqual(failure(["count": nil]), ["/count", "expected an integer, not null"])
    XCTAssertEqual(failure(["count": "2"]), ["/count", "expected an integer"])
    XCTAssertEqual(failure(["count": 3]), ["/count", "must be even"])
    XCTAssertEqual(try decode(["count": 4]).count, Even(value: 4))
  }

  func testAnOptionalValueMayBeAbsentOrNull() throws {
    XCTAssertNil(try decode(["count": 2]).extra)
    XCTAssertNil(try decode(["count": 2, "extra": nil]).extra)
    XCTAssertEqual(try decode(["count": 2, "extra": 6]).extra, Even(value: 6))
    XCTAssertEqual(failure(["count": 2, "extra": 5]), ["/extra", "must be even"])
    XCTAssertEqual(failure(["count": 2, "extra": true]), ["/extra", "expected an integer"])
    XCTAssertNil(try decode(["count": 2, "payload": nil]).payload)
    XCTAssertEqual(try decode(["count": 2, "payload": [1]]).payload, [1])
  }

  func testANullableValueTellsAbsentNullAndAValueApart() throws {
    XCTAssertEqual(try decode(["count": 2]).label, .absent)
    XCTAssertEqual(try decode(["count": 2, "label": nil]).label, .null)
    XCTAssertEqual(try decode(["count": 2, "label": 8]).label, .value(Even(value: 8)))
    XCTAssertEqual(failure(["count": 2, "label": 7]), ["/label", "must be even"])
    XCTAssertEqual(failure(["count": 2, "label": "8"]), ["/label", "expected an integer"])
  }

  func testTheFirstBadParamInDeclarationOrderIsReported() {
    XCTAssertEqual(failure(["label": 1, "count": 3]), ["/count", "must be even"])
    XCTAssertEqual(failure(["page": "x", "extra": 1, "count": 2]), ["/extra", "must be even"])
  }

  func testRulesAcrossParamsRunAfterEveryParamAndBeforeUnknownMembers() {
    XCTAssertEqual(failure(["count": 2, "extra": 2, "name": "clash"]), ["/name", "not with extra"])
    XCTAssertEqual(failure(["count": 2, "extra": 2, "name": "clash", "bogus": 1]), ["/name", "not with extra"])
    XCTAssertEqual(failure(["count": 2, "extra": 3, "name": "clash"]), ["/extra", "must be even"])
    XCTAssertNoThrow(try decode(["count": 2, "name": "clash"]))
  }

  func testUnknownMembersAreRefusedOnceEveryParamDecoded() {
    XCTAssertEqual(failure(["count": 2, "bogus": 1]), ["/bogus", "unknown member"])
    XCTAssertEqual(failure(["count": 3, "bogus": 1]), ["/count", "must be even"])
    XCTAssertEqual(failure(["count": 2, "Count": 2]), ["/Count", "unknown member"])
  }

  func testTheRouterServesAndPublishesTheDeclaration() async throws {
    var router = Router()
    router.register(SampleMethod.self) { params, _ in .int(params.count.value + (params.extra?.value ?? 0)) }
    let reply = try await router.call("sample", params: ["count": 2, "extra": 4])
    XCTAssertEqual(reply, 6)
    do {
      _ = try await router.call("sample", params: ["count": 1])
      XCTFail("accepted an odd count")
    } catch let error as RPCError {
      XCTAssertEqual(error.code, RPCError.invalidParamsCode)
      XCTAssertEqual(error.data, ["field": "/count", "reason": "must be even"])
    }
    XCTAssertEqual(
      router.descriptors.first?.params.map(\.name), ["count", "extra", "label", "name", "page", "payload"])
  }
}
