import JSON
import JSONRPC
import XCTest

@testable import SwitchboardMCP

final class ToolCatalogTests: XCTestCase {
  func testReferencesAreInlinedWithSiblingsKept() {
    let inliner = SchemaInliner([("Thing", .object([("id", .string())], required: ["id"]))])
    let schema = inliner.inline([
      "type": "array", "items": ["$ref": "#/components/schemas/Thing", "description": "one"],
    ])
    XCTAssertEqual(schema["items"]?["type"], "object")
    XCTAssertEqual(schema["items"]?["required"], ["id"])
    XCTAssertEqual(schema["items"]?["description"], "one")
    XCTAssertNil(schema["items"]?["$ref"])
  }

  func testNoToolWritesASecretAndTheMoneyToolsSaySo() {
    let names = Set(ToolCatalog.specs.map(\.name))
    XCTAssertEqual(names.count, 14)
    XCTAssertTrue(names.isDisjoint(with: ["setCredentials", "clearCredentials", "deleteProfile"]))
    for name in ["createNumber", "importNumber", "importNumbers"] {
      XCTAssertTrue(ToolCatalog.byName[name]!.notes.contains(ToolCatalog.costsMoney), name)
    }
    XCTAssertEqual(ToolCatalog.byName["deleteNumber"]?.annotations.destructiveHint, true)
    let bulk = ToolCatalog.byName["deleteNumbers"]
    XCTAssertEqual(bulk?.annotations.destructiveHint, true)
    XCTAssertEqual(bulk?.annotations.idempotentHint, false)
    XCTAssertEqual(bulk?.partialResultsMember, "results")
    XCTAssertTrue(bulk?.notes.joined().contains("release N numbers") ?? false)
    XCTAssertEqual(ToolCatalog.byName["getUsage"]?.annotations.readOnlyHint, true)
    XCTAssertEqual(ToolCatalog.byName["getUsage"]?.partialResultsMember, "usage")
  }
}
