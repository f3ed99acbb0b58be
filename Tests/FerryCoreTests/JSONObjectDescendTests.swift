import FerryCore
import Testing

@Suite("JSONObject.descend: following a key path in place")
struct JSONObjectDescendTests {
    /// An object past the size at which lookups switch to a hash index, so both lookup paths are exercised.
    static let wide: JSONObject = JSONObject((0..<20).map { ("k\($0)", JSONValue.int($0)) })

    static let data: JSONObject = [
        "Profile": ["Email": "a@b.c", "Address": ["City": "Pune"], "Wide": .object(wide)],
        "Event": ["User Rating": 9],
    ]

    @Test("a path of present keys reaches its value and consumes every key")
    func fullPath() {
        let found = Self.data.descend("Profile", ["Address", "City"])
        #expect(found?.value == "Pune")
        #expect(found?.depth == 2)
        #expect(Self.data.descend("Event", ["User Rating"])?.value == 9)
        #expect(Self.data.descend("Profile", ["Wide", "k17"])?.value == 17)
        #expect(Self.data.descend("Profile", ["Wide", "k0"])?.value == 0)
    }

    @Test("a missing key or a non-object stops the walk at the last value reached")
    func partialPath() {
        let missing = Self.data.descend("Profile", ["Phone", "Country"])
        #expect(missing?.depth == 0)
        #expect(missing?.value == Self.data["Profile"])
        let throughString = Self.data.descend("Profile", ["Email", "size"])
        #expect(throughString?.value == "a@b.c")
        #expect(throughString?.depth == 1)
        #expect(Self.data.descend("Profile", ["Wide", "k20"])?.depth == 1)
    }

    @Test("a missing root gives nil, and keys of another length or spelling do not match")
    func missingRoot() {
        #expect(Self.data.descend("Campaign", []) == nil)
        #expect(Self.data.descend("Profil", []) == nil)
        #expect(Self.data.descend("Profiles", []) == nil)
        #expect(Self.data.descend("Profile", [])?.depth == 0)
        #expect(Self.wide["k1"] == 1)
        #expect(Self.wide["k10"] == 10)
        #expect(Self.wide["k"] == nil)
    }
}
