import FerryCore
import Testing

@Suite("JSONObject.descend with position hints")
struct JSONObjectHintTests {
    static let wide: JSONObject = JSONObject((0..<300).map { ("k\($0)", JSONValue.int($0)) })
    static let data: JSONObject = [
        "Profile": ["Identity": "u1", "Email": "a@b.c", "Address": ["City": "Pune"], "Wide": .object(wide)],
        "Event": ["User Rating": 9],
    ]

    @Test("any hints, right, stale or garbage, give what descend without hints gives", arguments: [
        UInt64(0), 0x0101_0101_0101_0101, UInt64.max, 0x0000_0000_0000_0302, 0x0000_0000_0004_0201,
    ])
    func hintsNeverChangeTheAnswer(start: UInt64) {
        let paths: [(String, [String])] = [
            ("Profile", ["Email"]), ("Profile", ["Address", "City"]), ("Event", ["User Rating"]),
            ("Profile", ["Wide", "k299"]), ("Profile", ["Wide", "k3"]), ("Profile", ["Phone", "x"]),
            ("Profile", ["Email", "size"]), ("Campaign", []), ("Profile", []),
        ]
        for (root, keys) in paths {
            var hints = start
            let plain = Self.data.descend(root, keys)
            for _ in 0..<3 {
                let hinted = Self.data.descend(root, keys, hints: &hints)
                #expect(hinted?.value == plain?.value, "\(root) \(keys)")
                #expect(hinted?.depth == plain?.depth, "\(root) \(keys)")
            }
        }
    }

    @Test("the hints record where each key was found, and positions past 254 are not hinted")
    func hintsRecordPositions() {
        var hints: UInt64 = 0
        _ = Self.data.descend("Profile", ["Address", "City"], hints: &hints)
        #expect(hints == 0x01_03_01)  // Profile at 0, Address at 2, City at 0, each stored plus one
        hints = 0
        _ = Self.data.descend("Profile", ["Wide", "k299"], hints: &hints)
        #expect(hints == 0x04_01)  // k299 is at 299: no hint for it
        hints = 0
        _ = Self.data.descend("Profile", ["Wide", "k7"], hints: &hints)
        #expect(hints == 0x08_04_01)
    }

    @Test("a hint never lands on a canonically equivalent key with other bytes")
    func equivalentKeysStayApart() {
        let composed = "caf\u{E9}"  // NFC: é is one scalar
        let decomposed = "cafe\u{301}"  // NFD: e and a combining acute accent
        let object = JSONObject([(composed, JSONValue.int(1)), (decomposed, JSONValue.int(2))])
        #expect(object.count == 2)
        #expect(object.descend(decomposed, [])?.value == .int(2))
        var hints: UInt64 = 0
        for _ in 0..<2 {
            #expect(object.descend(composed, [], hints: &hints)?.value == .int(1))
            #expect(object.descend(decomposed, [], hints: &hints)?.value == .int(2))
        }
        // Nested, with the hint for the second step pointing at the composed key.
        let outer: JSONObject = ["Event": .object(object)]
        hints = 0x01_01
        #expect(outer.descend("Event", [decomposed], hints: &hints)?.value == .int(2))
    }

    @Test("paths deeper than eight steps are followed without hints past the eighth")
    func deepPaths() {
        var nested: JSONValue = "bottom"
        for level in (0..<10).reversed() { nested = ["s\(level)": nested, "pad": .int(level)] }
        guard case .object(let object) = nested else { return }
        var hints: UInt64 = 0
        let keys = (1..<10).map { "s\($0)" }
        for _ in 0..<2 {
            let found = object.descend("s0", keys, hints: &hints)
            #expect(found?.value == "bottom")
            #expect(found?.depth == 9)
        }
    }
}
