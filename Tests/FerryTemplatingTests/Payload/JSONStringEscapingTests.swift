import FerryCore
import FerryTemplating
import Testing

/// Strings written inside JSON string literals are copied as they are when nothing in them needs escaping,
/// a decision made eight bytes at a time: these cases put each byte that needs escaping at every kind of
/// position (first word, last overlapping word, short strings under a word).
@Suite("JSON string escaping in payloads")
struct JSONStringEscapingTests {
    static let cases: [String] = [
        "", "a", "plain", "1234567", "12345678", "123456789", "user-8c1f2a77-4b1e-4d9a-9f0e-2d6b5a1c3e90",
        "\"", "a\"b", "1234567\"", "12345678\"", "\"23456789", "123456789012345\"6",
        "\\", "back\\slash and more", "tab\there", "line\nbreak-after-eight", "abcdefg\u{1}", "\u{1F}bcdefghij",
        "\u{2028}", "sep\u{2029}arator text", "€uro", "12345678€", "âêîôû ü ß", "emoji 😀 text 12345",
        "\u{7F} delete", "ends with \\",
    ]

    @Test("a string inside a JSON string literal is escaped exactly as JSONValue escapes it", arguments: cases)
    func escapedLikeJSONValue(_ text: String) throws {
        let payload = try PayloadTemplate(#"{"s": "{{ s }}"}"#)
        let output = try #require(try payload.render(["s": .string(text)]).output)
        #expect(output == #"{"s": ""# + JSONValue.escaped(text) + #""}"#)
        #expect(try JSONValue(parsing: output) == ["s": .string(text)])
    }
}
