import Foundation
import JSONRPC
import Logging
import XCTest

@testable import Switchboard

final class MethodTableTests: XCTestCase {
  func testTestHooksAreServedOnlyWhenEnabled() {
    let plain = MethodTable.router(
      for: SwitchboardService(
        configuration: ServiceConfiguration(home: URL(fileURLWithPath: "/nonexistent")), logger: Logger(label: "test")))
    XCTAssertFalse(plain.methodNames.contains { $0.hasPrefix("test/") })
    let hooked = MethodTable.router(
      for: SwitchboardService(
        configuration: ServiceConfiguration(home: URL(fileURLWithPath: "/nonexistent"), testHooks: true),
        logger: Logger(label: "test")))
    XCTAssertTrue(hooked.methodNames.contains("test/sleep"))
  }

  func testEveryMethodIsDocumented() {
    let router = MethodTable.router(
      for: SwitchboardService(
        configuration: ServiceConfiguration(home: URL(fileURLWithPath: "/nonexistent")), logger: Logger(label: "test")))
    for descriptor in router.descriptors {
      XCTAssertFalse(descriptor.summary.isEmpty, descriptor.name)
      XCTAssertNotNil(descriptor.result, descriptor.name)
    }
  }
}
