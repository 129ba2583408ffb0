import XCTest

@testable import JSONRPC

final class FrameReaderTests: XCTestCase {
  private func frames(_ events: [FrameReader.Event]) -> [String] {
    events.compactMap { event in
      if case .frame(let bytes) = event { return String(decoding: bytes, as: UTF8.self) }
      return nil
    }
  }

  /// Feeds `input` split at every pair of positions and checks every split gives the same events.
  private func assertEverySplit(
    _ input: [UInt8], framing: Framing? = nil, file: StaticString = #filePath, line: UInt = #line
  ) -> [FrameReader.Event] {
    var whole = FrameReader(maxFrameBytes: 1 << 20, framing: framing)
    let expected = whole.push(input) + whole.finish()
    for i in 0...input.count {
      for j in i...input.count {
        var reader = FrameReader(maxFrameBytes: 1 << 20, framing: framing)
        var events = reader.push(Array(input[0..<i]))
        events += reader.push(Array(input[i..<j]))
        events += reader.push(Array(input[j...]))
        events += reader.finish()
        XCTAssertEqual(events, expected, "split at \(i), \(j)", file: file, line: line)
      }
    }
    var byteByByte = FrameReader(maxFrameBytes: 1 << 20, framing: framing)
    var events: [FrameReader.Event] = []
    for byte in input { events += byteByByte.push([byte]) }
    events += byteByByte.finish()
    XCTAssertEqual(events, expected, "byte by byte", file: file, line: line)
    return expected
  }

  func testLinesEverySplit() {
    let input = Array("{\"a\":\"é😀中\"}\r\n\n  \n{\"b\":2}\n[1]".utf8)
    let events = assertEverySplit(input)
    XCTAssertEqual(events.first, .framing(.lines))
    XCTAssertEqual(frames(events), ["{\"a\":\"é😀中\"}", "{\"b\":2}", "[1]"])
  }

  func testContentLengthEverySplit() {
    let body1 = Array("{\"x\":\"é😀\"}".utf8)
    let body2 = Array("{}".utf8)
    var input = Array(
      "Content-Length: \(body1.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n".utf8)
    input += body1
    input += Array("content-length: \(body2.count)\n\n".utf8) + body2
    let events = assertEverySplit(input)
    XCTAssertEqual(events.first, .framing(.contentLength))
    XCTAssertEqual(frames(events), ["{\"x\":\"é😀\"}", "{}"])
  }

  func testBOMThenLines() {
    let events = assertEverySplit([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\n".utf8))
    XCTAssertEqual(events, [.framing(.lines), .frame([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8))])
  }

  func testOversizedLineIsSkippedWithBoundedBuffer() {
    var reader = FrameReader(maxFrameBytes: 100)
    var events = reader.push(Array(repeating: UInt8(ascii: "x"), count: 90))
    events += reader.push(Array(repeating: UInt8(ascii: "x"), count: 90))
    XCTAssertLessThanOrEqual(reader.bufferedByteCount, 200)
    for _ in 0..<100 { events += reader.push(Array(repeating: UInt8(ascii: "x"), count: 1000)) }
    XCTAssertEqual(reader.bufferedByteCount, 0)
    events += reader.push(Array("xx\n{\"ok\":1}\n".utf8))
    XCTAssertEqual(events, [.framing(.lines), .oversized(limit: 100), .frame(Array("{\"ok\":1}".utf8))])
  }

  func testOversizedLineArrivingWhole() {
    var reader = FrameReader(maxFrameBytes: 10)
    let events = reader.push(Array("{\"aaaaaaaaaaaaaaaaaa\":1}\n{}\n".utf8))
    XCTAssertEqual(events, [.framing(.lines), .oversized(limit: 10), .frame(Array("{}".utf8))])
  }

  func testOversizedContentLengthBodyIsSkipped() {
    var reader = FrameReader(maxFrameBytes: 10)
    var events = reader.push(Array("Content-Length: 50\r\n\r\n".utf8))
    events += reader.push(Array(repeating: UInt8(ascii: " "), count: 30))
    events += reader.push(Array(repeating: UInt8(ascii: " "), count: 20) + Array("Content-Length: 2\r\n\r\n{}".utf8))
    XCTAssertEqual(events, [.framing(.contentLength), .oversized(limit: 10), .frame(Array("{}".utf8))])
  }

  func testBadHeadersAreReportedOnceEachAndTheReaderResynchronises() {
    let good = "Content-Length: 2\r\n\r\n{}"
    let broken = [
      "Content-Length: x\r\n\r\n{\"a\":1}", "Content-Length: -5\r\n\r\n{\"a\":1}", "X-Other: 1\r\n\r\n{\"a\":1}",
      "Content-Length: 2\r\nContent-Type: text/plain; charset=latin1\r\n\r\n{}",
    ]
    for bad in broken {
      let input = Array((good + bad + good + good).utf8)
      let events = assertEverySplit(input)
      let badHeaders = events.filter { if case .badHeader = $0 { return true } else { return false } }
      XCTAssertEqual(badHeaders.count, 1, "\(bad): \(events)")
      XCTAssertEqual(frames(events), ["{}", "{}", "{}"], bad)
    }
  }

  func testImpossibleLengthIsRefusedAtOnce() {
    var reader = FrameReader(maxFrameBytes: 1 << 20)
    var events = reader.push(Array("Content-Length: 4611686018427387904\r\n\r\n".utf8))
    XCTAssertEqual(events, [.framing(.contentLength), .oversized(limit: 1 << 20)])
    events = reader.push(Array("garbage garbage Content-Length: 2\r\n\r\n{}".utf8))
    XCTAssertEqual(events, [.frame(Array("{}".utf8))])
  }

  func testResyncKeepsOnlyATailWhileSearching() {
    var reader = FrameReader(maxFrameBytes: 100)
    _ = reader.push(Array("Content-Length: nope\r\n\r\n".utf8))
    for _ in 0..<1000 { _ = reader.push(Array(repeating: UInt8(ascii: "z"), count: 1000)) }
    XCTAssertLessThan(reader.bufferedByteCount, 64)
    XCTAssertEqual(reader.push(Array("CONTENT-LENGTH: 2\r\n\r\n[]".utf8)), [.frame(Array("[]".utf8))])
  }

  func testBareJSONLineInContentLengthModeIsAFrame() {
    let input = Array(
      "Content-Length: 2\r\n\r\n{}{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\nContent-Length: 2\r\n\r\n[]"
        .utf8)
    let events = assertEverySplit(input)
    XCTAssertEqual(frames(events), ["{}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "[]"])
  }

  func testLastLineWithoutNewlineIsDeliveredAtEnd() {
    var reader = FrameReader()
    XCTAssertEqual(reader.push(Array("{\"a\":1}".utf8)), [.framing(.lines)])
    XCTAssertEqual(reader.finish(), [.frame(Array("{\"a\":1}".utf8))])
  }

  func testGarbageFirstLineIsLinesMode() {
    var reader = FrameReader()
    let events = reader.push(Array("hello world\n".utf8))
    XCTAssertEqual(events, [.framing(.lines), .frame(Array("hello world".utf8))])
  }
}

final class BatchScanTests: XCTestCase {
  func testCountsTopLevelItemsOnly() {
    XCTAssertNil(BatchScan.itemCount(Array("{\"a\":[1,2]}".utf8), limit: 10))
    XCTAssertEqual(BatchScan.itemCount(Array(" []".utf8), limit: 10), 0)
    XCTAssertEqual(BatchScan.itemCount(Array("[{\"a\":[1,2,3]},\"x,\\\"y\",3]".utf8), limit: 10), 3)
    XCTAssertEqual(BatchScan.itemCount(Array("[1,2,3,4,5]".utf8), limit: 3), 4)
  }
}
