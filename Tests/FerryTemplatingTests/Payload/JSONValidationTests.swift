import FerryCore
import FerryTemplating
import Testing

/// `PayloadTemplate.isValidJSON` (the check `render` relies on instead of parsing) must accept exactly what
/// `JSONValue(parsing:)` accepts: any text it wrongly accepted would be returned as a payload.
@Suite("payload JSON check")
struct JSONValidationTests {
    static let seeds = [
        #"{"a": [1, -2.5e+10, 0, true, false, null], "b": {"c": "x\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"}}"#,
        #"[[], {}, [{}], "", 0.5, -0, 1E5, 12345678901234567890]"#,
        "  \"plain\"\n", "123", "{\"k\": {\"k\": [1, {\"m\": \"é ü\"}]}}",
    ]
    /// Bytes that make JSON interesting when put anywhere.
    static let insertions = ["", ",", "]", "}", "[", "{", "\"", "\\", "\\u", "\\uD800", "\\uDC00", "0", "01", "-",
                             ".", "e", "+", " ", "\n", "\u{1}", "tru", "nul", ":", "x", "/", "NaN", "1.", ".5", "\t"]

    /// SplitMix64, so the mutations are the same on every run.
    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test("the check agrees with the parser on 20,000 mutations of JSON texts")
    func agreesWithParser() {
        var random = Random(state: 18)
        var accepted = 0
        var disagreements: [String] = []
        for round in 0..<20_000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            for _ in 0..<(1 + random.next(3)) {
                let position = random.next(bytes.count + 1)
                switch random.next(3) {
                case 0 where !bytes.isEmpty && position < bytes.count: bytes.remove(at: position)
                default: bytes.insert(contentsOf: Array(Self.insertions[random.next(Self.insertions.count)].utf8), at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let parses = (try? JSONValue(parsing: text)) != nil
            if parses { accepted += 1 }
            if PayloadTemplate.isValidJSON(text) != parses { disagreements.append(text.debugDescription) }
        }
        #expect(disagreements.isEmpty, "check and parser disagree on: \(disagreements.prefix(10))")
        #expect(accepted > 1_000, "too few mutations stay valid JSON to test acceptance: \(accepted)")
    }

    @Test("the check refuses nesting deeper than the parser's limit", arguments: [512, 513])
    func depth(_ levels: Int) {
        let text = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        #expect(PayloadTemplate.isValidJSON(text) == ((try? JSONValue(parsing: text)) != nil))
    }
}
