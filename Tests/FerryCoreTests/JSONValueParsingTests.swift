import Foundation
import FerryCore
import Testing

@Suite("JSONValue parsing and serialisation")
struct JSONValueParsingTests {
    @Test("documents round-trip to the same compact text", arguments: [
        #"null"#, #"true"#, #"false"#, #"0"#, #"-1"#, #"9"#, #"9.0"#, #"1.5"#, #"-0.25"#, #"1e+20"#, #""""#,
        #""a\"b\\c\nd""#, #"[]"#, #"{}"#, #"[1,[2,[3]]]"#, #"{"b":1,"a":2,"c":{"z":null,"y":[true,false]}}"#,
        #"9223372036854775807"#, #"-9223372036854775808"#, #"12345678901234567890"#,
        #"3.14159265358979323846264338327950288"#, #""\u2028\u2029""#, #""😀 café""#,
    ])
    func roundTrip(text: String) throws {
        let value = try JSONValue(parsing: text)
        #expect(value.jsonString() == text)
        #expect(try JSONValue(parsing: value.jsonData()) == value)
    }

    @Test("integers stay integers and doubles keep their fraction")
    func integersStayIntegers() throws {
        let value = try JSONValue(parsing: #"{"score": 9, "ratio": 9.0, "big": 1e2}"#)
        #expect(value["score"]?.numberValue?.isInteger == true)
        #expect(value["score"]?.intValue == 9)
        #expect(value["ratio"]?.numberValue?.isInteger == false)
        #expect(value.jsonString() == #"{"score":9,"ratio":9.0,"big":100.0}"#)
        #expect(JSONValue.int(9).jsonString() == "9")
    }

    @Test("object key order is kept through parsing, mutation and serialisation")
    func keyOrder() throws {
        var value = try JSONValue(parsing: #"{"zeta":1,"alpha":2,"mid":3}"#)
        #expect(value.objectValue?.keys == ["zeta", "alpha", "mid"])
        value["alpha"] = "changed"
        value["new"] = true
        value["zeta"] = nil
        #expect(value.jsonString() == #"{"alpha":"changed","mid":3,"new":true}"#)
    }

    @Test("large objects keep order and find keys (hash index)")
    func largeObject() throws {
        let keys = (0..<300).map { "key\(299 - $0)" }
        let text = "{" + keys.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        var value = try JSONValue(parsing: text)
        #expect(value.objectValue?.keys == keys)
        #expect(value["key0"]?.intValue == 299)
        #expect(value["key299"]?.intValue == 0)
        value["key150"] = nil
        #expect(value["key149"]?.intValue == 150)
        #expect(value["key150"] == nil)
        #expect(value.objectValue?.count == 299)
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicateKeys() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.jsonString() == #"{"a":3,"b":2}"#)
    }

    @Test("numbers beyond Int64 or Double precision keep their exact text")
    func exactNumbers() throws {
        let value = try JSONValue(parsing: #"[18446744073709551616, 0.1000000000000000055511151231257827, 1e400, -1e-400]"#)
        #expect(value.jsonString() == #"[18446744073709551616,0.1000000000000000055511151231257827,1e400,-1e-400]"#)
        #expect(value[0]?.intValue == nil)
        #expect(value[0]?.doubleValue == 18446744073709551616.0)
    }

    @Test("numbers compare by value")
    func numericEquality() throws {
        #expect(try JSONValue(parsing: "1") == JSONValue(parsing: "1.0"))
        #expect(try JSONValue(parsing: "1") != JSONValue(parsing: "1.5"))
        #expect(Set([JSONValue.int(1), JSONValue.double(1.0)]).count == 1)
        #expect(JSONNumber(text: "007") == nil)
        #expect(JSONNumber(text: "12.50")?.doubleValue == 12.5)
    }

    @Test("escapes decode, including surrogate pairs")
    func escapes() throws {
        let value = try JSONValue(parsing: #""\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00""#)
        #expect(value.stringValue == "\"\\/\u{08}\u{0C}\n\r\tAé😀")
    }

    @Test("control characters, quotes, backslashes and U+2028/2029 are escaped on output")
    func escapingOnOutput() throws {
        let hostile = "a\"b\\c\nd\te\u{0}f\u{1F}g\u{2028}h\u{2029}i😀"
        let text = JSONValue.string(hostile).jsonString()
        #expect(text == #""a\"b\\c\nd\te\u0000f\u001fg\u2028h\u2029i😀""#)
        #expect(try JSONValue(parsing: text).stringValue == hostile)
        #expect(JSONValue.escaped("say \"hi\"") == #"say \"hi\""#)
    }

    @Test("pretty printing indents and keeps order")
    func prettyPrinting() throws {
        let value: JSONValue = ["b": [1, 2], "a": [:], "c": []]
        #expect(value.jsonString(prettyPrinted: true) == "{\n  \"b\": [\n    1,\n    2\n  ],\n  \"a\": {},\n  \"c\": []\n}")
    }

    @Test("literals and accessors")
    func literals() {
        let value: JSONValue = ["name": "Jane", "score": 9, "ratio": 0.5, "ok": true, "none": nil, "tags": ["a", "b"]]
        #expect(value["name"]?.stringValue == "Jane")
        #expect(value["score"]?.intValue == 9)
        #expect(value["ratio"]?.doubleValue == 0.5)
        #expect(value["ok"]?.boolValue == true)
        #expect(value["none"]?.isNull == true)
        #expect(value["tags"]?[1]?.stringValue == "b")
        #expect(value["tags"]?[2] == nil)
        #expect(value["missing"] == nil)
        #expect(value["tags"]?["x"] == nil)
        #expect(JSONValue.double(.nan) == .null)
        #expect(value.kindName == "object")
    }

    @Test("Codable through JSONEncoder and JSONDecoder")
    func codable() throws {
        let value: JSONValue = ["a": 1, "b": [true, nil, "x", 2.5]]
        let data = try JSONEncoder().encode(value)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(decoded == value)
        #expect(decoded["a"]?.numberValue?.isInteger == true)
    }

    @Test("nesting up to the limit parses; one deeper is rejected")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try JSONValue(parsing: ok) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        #expect(error?.kind == .tooDeep)
        #expect(error?.offset == 512)
        let custom = #expect(throws: JSONParseError.self) {
            try JSONValue(parsing: #"{"a":{"b":{}}}"#, options: JSONParsingOptions(maximumDepth: 2))
        }
        #expect(custom?.kind == .tooDeep)
    }

    @Test("100,000 levels of nesting are rejected without a crash")
    func hostileDepth() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    struct Rejection: Sendable, CustomTestStringConvertible {
        let input: [UInt8]
        let kind: JSONParseError.Kind
        let offset: Int
        let mentions: String
        var testDescription: String { String(decoding: input, as: UTF8.self) }

        init(_ text: String, _ kind: JSONParseError.Kind, at offset: Int, _ mentions: String) {
            self.init(bytes: Array(text.utf8), kind, at: offset, mentions)
        }

        init(bytes: [UInt8], _ kind: JSONParseError.Kind, at offset: Int, _ mentions: String) {
            input = bytes
            self.kind = kind
            self.offset = offset
            self.mentions = mentions
        }
    }

    static let rejections: [Rejection] = [
        Rejection("", .unexpectedEnd, at: 0, "expected a value"),
        Rejection("[1,2,]", .trailingComma, at: 5, "trailing comma"),
        Rejection(#"{"a":1,}"#, .trailingComma, at: 7, "trailing comma"),
        Rejection("012", .leadingZero, at: 0, "leading zeros"),
        Rejection("-01", .leadingZero, at: 0, "leading zeros"),
        Rejection("NaN", .unexpectedCharacter, at: 0, "NaN"),
        Rejection("[Infinity]", .unexpectedCharacter, at: 1, "Infinity"),
        Rejection("-Infinity", .invalidNumber, at: 1, "digit"),
        Rejection("[1] // note", .comment, at: 4, "comments are not allowed"),
        Rejection("/* c */ 1", .comment, at: 0, "comments are not allowed"),
        Rejection(#"{"a":1 /* c */}"#, .comment, at: 7, "comments"),
        Rejection("1.", .invalidNumber, at: 2, "after the decimal point"),
        Rejection("1.x", .invalidNumber, at: 2, "after the decimal point"),
        Rejection(".5", .unexpectedCharacter, at: 0, "expected a value"),
        Rejection("1e", .invalidNumber, at: 2, "exponent"),
        Rejection("2.5e+", .invalidNumber, at: 5, "exponent"),
        Rejection("-", .invalidNumber, at: 1, "digit"),
        Rejection("+1", .unexpectedCharacter, at: 0, "expected a value"),
        Rejection(#""\ud800""#, .loneSurrogate, at: 1, "lone high surrogate"),
        Rejection(#""\udc00""#, .loneSurrogate, at: 1, "lone low surrogate"),
        Rejection(#""\ud800\u0041""#, .loneSurrogate, at: 1, "not a low surrogate"),
        Rejection(#""\x41""#, .invalidEscape, at: 1, "invalid escape"),
        Rejection(#""\u12G4""#, .invalidEscape, at: 5, "four hex digits"),
        Rejection("\"a\nb\"", .controlCharacter, at: 2, "control character"),
        Rejection("\"abc", .unexpectedEnd, at: 4, "inside the string"),
        Rejection("[1 2]", .unexpectedCharacter, at: 3, "expected ',' or ']'"),
        Rejection(#"{"a" 1}"#, .unexpectedCharacter, at: 5, "expected ':'"),
        Rejection("{a:1}", .unexpectedCharacter, at: 1, "double quotes"),
        Rejection("{'a':1}", .unexpectedCharacter, at: 1, "double quotes"),
        Rejection("[1,2", .unexpectedEnd, at: 4, "expected ',' or ']'"),
        Rejection("tru", .unexpectedEnd, at: 3, "true"),
        Rejection("nul1", .unexpectedCharacter, at: 0, "null"),
        Rejection("1 2", .trailingData, at: 2, "after the JSON value"),
        Rejection("{}}", .trailingData, at: 2, "after the JSON value"),
        Rejection(bytes: [0x22, 0xC3, 0x28, 0x22], .invalidUTF8, at: 1, "UTF-8"),
        Rejection(bytes: [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], .invalidUTF8, at: 2, "UTF-8"),
        Rejection(bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22], .invalidUTF8, at: 1, "UTF-8"),
        Rejection(bytes: [0xEF, 0xBB, 0xBF, 0x31], .unexpectedCharacter, at: 0, "expected a value"),
    ]

    @Test("strict RFC 8259: every rejection names its kind, byte offset and what was expected", arguments: rejections)
    func rejection(_ rejection: Rejection) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data(rejection.input)) }
        #expect(error?.kind == rejection.kind)
        #expect(error?.offset == rejection.offset)
        #expect(error?.description.contains(rejection.mentions) == true, "\(error?.description ?? "")")
        #expect(error?.description.hasPrefix("JSON error at byte \(rejection.offset): ") == true)
    }

    @Test("random bytes never crash the parser")
    func randomBytes() {
        var generator = SplitMix64(seed: 42)
        let alphabet: [UInt8] = Array(#"{}[]:,"\-+.0123456789eEtrufalsn /*\u"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF, 0xED]
        for _ in 0..<20_000 {
            let length = Int(generator.next() % 24)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            if let value = try? JSONValue(parsing: Data(bytes)) {
                // Whatever parses must survive a round trip.
                #expect((try? JSONValue(parsing: value.jsonData())) == value)
            }
        }
    }
}

/// A small deterministic generator, so a failing random case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
