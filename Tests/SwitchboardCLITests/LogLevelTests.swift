import JSONRPC
import Logging
import XCTest

@testable import switchboard_cli

/// The engine's `LogLevel` and swift-log's `Logger.Level` map onto each other name for name.
final class LogLevelTests: XCTestCase {
  func testEveryLevelMapsToTheSameNameAndBack() {
    XCTAssertEqual(LogLevel.allCases.count, Logger.Level.allCases.count)
    for level in Logger.Level.allCases {
      let engine = LogLevel(level)
      XCTAssertEqual("\(engine)", level.rawValue)
      XCTAssertEqual(Logger.Level(engine), level)
    }
  }
}
