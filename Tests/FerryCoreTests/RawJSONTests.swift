import FerryCore
import Foundation
import Testing

/// Counts calls from any task, for the parse observer.
final class ParseCounter: Sendable {
    private let storage = FerryMutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var count: Int { storage.withLock { $0 } }
}

@Suite("RawJSON")
struct RawJSONTests {
    @Test("valid text is kept byte for byte: white space, escapes and number spelling as given")
    func keepsBytes() throws {
        let text = #" { "b" : [1, 2.50, -0, 1E5], "a": "\u00e9\n\/", "c": {} } "#
        let raw = try RawJSON(validating: text)
        #expect(raw.data == Data(text.utf8))
        #expect(raw.text == text)
        #expect(raw.description == text)
        #expect(try raw.value == JSONValue(parsing: text))
    }

    @Test(
        "invalid text is refused with the parser's own kind, offset and message",
        arguments: [
            (#"{"a": [1, 2,]}"#, JSONParseError.Kind.trailingComma, 12),
            (#"{"a": 012}"#, .leadingZero, 6),
            (#"{"a": 1} x"#, .trailingData, 9),
            (#"{"a": "\ud800"}"#, .loneSurrogate, 7),
            (#"{"a": NaN}"#, .unexpectedCharacter, 6),
            ("{\"a\": \"\u{1}\"}", .controlCharacter, 7),
            (#"{"a": 1 // note"#, .comment, 8),
            (#"{"a": "#, .unexpectedEnd, 6),
            ("", .unexpectedEnd, 0),
        ])
    func refusesInvalid(_ text: String, _ kind: JSONParseError.Kind, _ offset: Int) throws {
        let error = #expect(throws: JSONParseError.self) { try RawJSON(validating: text) }
        #expect(error?.kind == kind)
        #expect(error?.offset == offset)
        let parsed = try #require(error)
        #expect(throws: parsed) { try JSONValue(parsing: text) }
        #expect(error?.description.hasPrefix("JSON error at byte \(offset): ") == true)
    }

    @Test(
        "invalid UTF-8 inside a string is refused, though every byte is allowed in the grammar",
        arguments: [[0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF]] as [[UInt8]])
    func refusesInvalidUTF8(_ inner: [UInt8]) {
        let bytes = Data(Array(#"{"a": "x"#.utf8) + inner + Array(#"y"}"#.utf8))
        let error = #expect(throws: JSONParseError.self) { try RawJSON(validating: bytes) }
        #expect(error?.kind == .invalidUTF8)
        #expect(error?.message.contains("UTF-8") == true)
    }

    @Test("well-formed multi-byte UTF-8 is accepted", arguments: ["é", "€", "✓", "😀", "\u{10FFFF}", "\u{FFFD}"])
    func acceptsUTF8(_ text: String) throws {
        let raw = try RawJSON(validating: Data(#"["\#(text)"]"#.utf8))
        #expect(try raw.value == [.string(text)])
    }

    @Test("nesting deeper than the limit is refused with the limit named")
    func depth() throws {
        func nested(_ levels: Int) -> String { String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        _ = try RawJSON(validating: nested(512))
        let error = #expect(throws: JSONParseError.self) { try RawJSON(validating: nested(513)) }
        #expect(error?.kind == .tooDeep)
        #expect(error?.message.contains("512") == true)
        _ = try RawJSON(validating: nested(3), options: JSONParsingOptions(maximumDepth: 3))
        #expect(throws: JSONParseError.self) { try RawJSON(validating: nested(4), options: JSONParsingOptions(maximumDepth: 3)) }
    }

    @Test("equality and hashing are by bytes: the same value spelled twice is two payloads")
    func equalityByBytes() throws {
        let compact = try RawJSON(validating: #"{"a":1}"#)
        let spaced = try RawJSON(validating: #"{ "a": 1 }"#)
        #expect(compact != spaced)
        #expect(try compact.value == spaced.value)
        #expect(compact == RawJSON(["a": 1]))
        #expect(Set([compact, spaced, RawJSON(["a": 1])]).count == 2)
    }

    @Test("a payload nobody reads is never parsed; each read of value parses once")
    func parsesOnlyOnRequest() throws {
        let counter = ParseCounter()
        try RawJSON.$parseObserver.withValue({ counter.increment() }) {
            let raw = try RawJSON(validating: #"{"a": [1, 2, 3]}"#)
            let copy = raw
            _ = copy.data
            _ = copy.text
            #expect(counter.count == 0)
            #expect(try raw.value["a"] == [1, 2, 3])
            #expect(counter.count == 1)
            _ = try raw.value
            #expect(counter.count == 2)
        }
    }

    @Test("Codable nests the payload as JSON, not as a string, and decodes it back")
    func codable() throws {
        let raw = try RawJSON(validating: #"{"a": [true, null]}"#)
        let encoded = try JSONEncoder().encode(["payload": raw])
        #expect(try JSONValue(parsing: encoded) == ["payload": ["a": [true, nil]]])
        let decoded = try JSONDecoder().decode([String: RawJSON].self, from: encoded)
        #expect(try decoded["payload"]?.value == raw.value)
    }
}
