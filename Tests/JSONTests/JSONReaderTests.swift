import XCTest

@testable import JSON

final class JSONReaderTests: XCTestCase {
  private let page = Array(
    #"""
    {"page":0,"incoming_phone_numbers":[
      {"sid":"PN1","friendly_name":"A \"quoted\" name \u00e9","phone_number":"+14155550100","auth":{"deep":[1,2,{"x":null}]},
       "capabilities":{"voice":true,"sms":false},"escaped\u0020key":"v","num":-1.5e3},
      {"phone_number":"+14155550101","sid":"PN2","friendly_name":null,"capabilities":null}
    ],"next_page_uri":null,"uri":"/x"}
    """#.utf8)

  func testReadsOnlyWhatIsAskedAndSkipsTheRest() throws {
    var items: [(String, String, String?, Bool)] = []
    var next: String? = "unset"
    var keys: [String] = []
    try JSONReader.read(page) { reader in
      try reader.readObject { key, reader in
        keys.append(key.string)
        if key == "incoming_phone_numbers" {
          try reader.readArray { reader in
            var sid = "", number = "", name: String? = nil, voice = false
            try reader.readObject { key, reader in
              if key == "sid" {
                sid = try reader.readString()
              } else if key == "phone_number" {
                number = try reader.readString()
              } else if key == "friendly_name" {
                name = try reader.readOptionalString()
              } else if key == "capabilities", !reader.isNull {
                try reader.readObject { key, reader in
                  if key == "voice" { voice = try reader.readBool() } else { try reader.skipValue() }
                }
              } else {
                try reader.skipValue()
              }
            }
            items.append((sid, number, name, voice))
          }
        } else if key == "next_page_uri" {
          next = try reader.readOptionalString()
        } else {
          try reader.skipValue()
        }
      }
    }
    XCTAssertEqual(keys, ["page", "incoming_phone_numbers", "next_page_uri", "uri"])
    XCTAssertEqual(items.count, 2)
    XCTAssertEqual(items[0].0, "PN1")
    XCTAssertEqual(items[0].2, "A \"quoted\" name é")
    XCTAssertTrue(items[0].3)
    XCTAssertEqual(items[1].1, "+14155550101")
    XCTAssertNil(items[1].2)
    XCTAssertNil(next)
  }

  func testEscapedKeysCompareByValue() throws {
    try JSONReader.read(Array(#"{"a\u0062c":1}"#.utf8)) { reader in
      try reader.readObject { key, reader in
        XCTAssertTrue(key == "abc")
        XCTAssertFalse(key == "abd")
        XCTAssertEqual(try reader.readOptionalNumber(), "1")
      }
    }
  }

  func testMalformedInputIsAnError() {
    let bad = [
      #"{"a":1"#, #"{"a" 1}"#, #"{"a":[1,]}"#, #"{"a":"x}"#, #"{"a":tru}"#, #"{"a":1} x"#, #"{"a":{"b":}}"#,
      "[" + String(repeating: "[", count: 300),
    ]
    for text in bad {
      XCTAssertThrowsError(
        try JSONReader.read(Array(text.utf8)) { reader in
          if text.hasPrefix("[") {
            try reader.skipValue()
          } else {
            try reader.readObject { _, reader in try reader.skipValue() }
          }
        }, text)
    }
  }

  func testTypeMismatchesAreErrors() {
    XCTAssertThrowsError(
      try JSONReader.read(Array(#"{"a":1}"#.utf8)) { reader in
        try reader.readObject { _, reader in _ = try reader.readString() }
      })
    XCTAssertThrowsError(try JSONReader.read(Array("[1]".utf8)) { reader in try reader.readObject { _, _ in } })
  }

  /// Skipped strings are stepped over eight bytes at a time: the quote, an escape or a control
  /// character must be found at every offset in the word, and ASCII and UTF-8 alike.
  func testSkipsStringsAtEveryOffset() throws {
    for length in 0..<40 {
      for special in ["", "\\\"", "\\\\", "\\n", "\\u2028", "é", "漢字", "🎉"] {
        for position in 0...length {
          let body =
            String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
          let json = Array("[\"\(body)\",\"after\"]".utf8)
          let after = try JSONReader.read(json) { reader -> String in
            var second = ""
            var index = 0
            try reader.readArray { reader in
              if index == 1 { second = try reader.readString() } else { try reader.skipValue() }
              index += 1
            }
            return second
          }
          XCTAssertEqual(after, "after", "length \(length), \(special) at \(position)")
        }
      }
      // A raw control character or a missing quote is an error wherever it is.
      for position in 0...length {
        var raw = Array(("[\"" + String(repeating: "a", count: length) + "\"]").utf8)
        raw[2 + position] = 0x0A
        XCTAssertThrowsError(try JSONReader.read(raw) { try $0.skipValue() }, "control at \(position)")
      }
      let open = Array(("[\"" + String(repeating: "a", count: length)).utf8)
      XCTAssertThrowsError(try JSONReader.read(open) { try $0.skipValue() })
    }
  }

  /// The structural skip (a first pass's hint) lands exactly where `skipValue` does on valid
  /// JSON, whatever the strings hold (escaped quotes, runs of backslashes, brackets).
  func testStructuralSkipEndsWhereSkipValueDoes() throws {
    let values = [
      #"{}"#, #"[]"#, #"{"a":[1,{"b":"]}"}],"c":null}"#, #"["\\",  "\"", "\\\"]", "x"]"#,
      #"{"k\"}":"v\\","n":[true,false,-1.5e3],"u":"\u005d"}"#, #"[[[[]]],{"":{}}]"#, #""plain""#, "12",
      #"{"s":"é📞\u2028"}"#,
    ]
    for value in values {
      let text = Array(("[" + value + ",\"end\"]").utf8)
      var fast: [String] = []
      var slow: [String] = []
      try JSONReader.read(text) { reader in
        var copy = reader
        try reader.readArray { reader in
          if fast.isEmpty {
            try reader.skipValueStructurally()
            fast.append("skipped")
          } else {
            fast.append(try reader.readString())
          }
        }
        try copy.readArray { reader in
          if slow.isEmpty {
            try reader.skipValue()
            slow.append("skipped")
          } else {
            slow.append(try reader.readString())
          }
        }
        reader = copy
      }
      XCTAssertEqual(fast, ["skipped", "end"], value)
      XCTAssertEqual(fast, slow, value)
    }
    for open in [#"[{"a":"b"#, #"[{"a":"b\"}"#, #"{"a":[1,2"#] {
      XCTAssertThrowsError(try JSONReader.read(Array(open.utf8)) { try $0.skipValueStructurally() }, open)
    }
  }

  /// The hint finds the last `"key":` from the end, tolerates whitespace, ignores the key's
  /// name inside a string or as a value, and is nil when there is no such member.
  func testLastMemberValueHint() throws {
    func hint(_ text: String) throws -> String?? {
      try JSONReader.read(Array(text.utf8)) { reader in
        defer { try? reader.skipValue() }
        guard var found = reader.lastMemberValueHint(named: "next") else { return .none }
        return .some(try found.readOptionalString())
      }
    }
    XCTAssertEqual(try hint(#"{"items":[{"a":"b"}],"next":"/p2","x":1}"#), .some("/p2"))
    XCTAssertEqual(try hint(#"{"next":"/p2","items":[]}"#), .some("/p2"))
    XCTAssertEqual(try hint(#"{"items":[], "next" :  null }"#), .some(nil))
    XCTAssertEqual(try hint(#"{"items":[{"next":"/nested"}],"next":"/top"}"#), .some("/top"))
    XCTAssertEqual(try hint(#"{"items":["\"next\":\"/fake\""],"other":"next"}"#), .none)
    XCTAssertEqual(try hint(#"{"nextx":"/p","next_":"/q"}"#), .none)
    XCTAssertEqual(try hint(#"{}"#), .none)
  }
}
