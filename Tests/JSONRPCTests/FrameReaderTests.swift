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
  private func assertEverySplit(_ input: [UInt8], framing: Framing? = nil, file: StaticString = #filePath, line: UInt = #line) -> [FrameReader.Event] {
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
    var input = Array("Content-Length: \(body1.count)\r\nContent-Type: application/vscode-jsonrpc; charset=utf8\r\n\r\n".utf8)
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

  func testBadHeadersAreReported() {
    var reader = FrameReader()
    let events = reader.push(Array("Content-Length: x\r\n\r\nContent-Type: text/plain; charset=latin1\r\n\r\n".utf8))
    XCTAssertEqual(events.count, 3)
    guard case .badHeader = events[1], case .badHeader = events[2] else { return XCTFail("\(events)") }
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
