import Foundation
import FerryCore
import FerryTemplating
import Testing

@Suite("CleverTap dialect")
struct CleverTapDialectTests {
    static let data: JSONValue = [
        "Profile": ["Identity": "user-1", "Email": "Jane@Example.com", "First Name": "Jane"],
        "Event": [
            "User Rating": 9,
            "Trip": [["Travelers": [["Email": "a@x.io"], ["Email": "b@x.io"]]]],
        ],
    ]

    @Test("bracket keys with spaces, and deep paths through arrays")
    func paths() {
        #expect(render(#"{{ Event["User Rating"] }}|{{ Profile['First Name'] }}"#, Self.data) == "9|Jane")
        #expect(render("{{ Event.Trip[0].Travelers[1].Email }}", Self.data) == "b@x.io")
        #expect(render(#"{{ Event["Trip"][0]["Travelers"][0]["Email"] }}"#, Self.data) == "a@x.io")
    }

    /// The seed's "Custom Body" exactly as printed (Set Up CleverTap Dashboard > Create Webhook Campaign): the
    /// first tag's quotes are JSON-escaped as CleverTap's payload editor shows them, the second's are not. A
    /// byte-for-byte copy of the printed line is committed as `Tests/Fixtures/seed-custom-body.txt`.
    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/seed-custom-body.txt")

    /// The committed copy of the printed Custom Body, without its line break.
    static func fixture() throws -> String {
        try String(contentsOf: fixtureURL, encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    /// The Custom Body as the seed document prints it: the first line after "Select Custom Body" that opens a
    /// JSON object with a key (`{ "`; the line before it, `{{}}and@buttons ...`, also starts with a brace).
    static func customBody(inSeedDocument document: String) -> String? {
        let lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains("Select Custom Body") }) else { return nil }
        return lines[start...].first { $0.hasPrefix(#"{ ""#) || $0.hasPrefix(#"{""#) }?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The seed's own text: read from the seed document when `FERRY_SEED_DOCUMENT` names it (and then it must
    /// still equal the committed fixture), else the committed fixture.
    static func seedTemplate() throws -> String {
        let fixture = try fixture()
        guard let path = ProcessInfo.processInfo.environment["FERRY_SEED_DOCUMENT"], !path.isEmpty else {
            return fixture
        }
        let document = try String(contentsOfFile: path, encoding: .utf8)
        let printed = try #require(customBody(inSeedDocument: document), "the seed document has no Custom Body line")
        #expect(printed == fixture, "Tests/Fixtures/seed-custom-body.txt drifted from the seed's Custom Body")
        return printed
    }

    @Test("the seed's payload renders as printed, \\\" quotes included, to valid JSON")
    func seedPayload() throws {
        let seed = try Self.seedTemplate()
        // The fixture is the printed line, not an edited copy: both tags, both kinds of quotes.
        #expect(seed.contains(#"{{ Profile.Identity | default: \"0\" }}"#))
        #expect(seed.contains(#"{{ Event["User Rating"] | default: "0" }}"#))
        #expect(render(seed, Self.data) == #"{ "userId": "user-1", "npsScore": 9 }"#)
        let defaults = render(seed, ["Profile": [:], "Event": [:]])
        #expect(defaults == #"{ "userId": "0", "npsScore": 0 }"#)
        #expect(try JSONValue(parsing: defaults) == ["userId": "0", "npsScore": 0])
        let payload = try PayloadTemplate(seed)
        #expect(try payload.renderJSON(Self.data) == ["userId": "user-1", "npsScore": 9])
    }

    @Test("the Custom Body is found in a seed document and a drifted fixture is told apart")
    func customBodyExtraction() throws {
        let fixture = try Self.fixture()
        let document = "Under the What section:\n- Select Custom Body and define the request payload\n"
            + "{{}}and@buttons (or manually type{{ }})\n\(fixture)\nExample Payload\n"
        #expect(Self.customBody(inSeedDocument: document) == fixture)
        #expect(Self.customBody(inSeedDocument: document.replacingOccurrences(of: #"\"0\""#, with: #""0""#)) != fixture)
        #expect(Self.customBody(inSeedDocument: "no webhook here") == nil)
    }

    @Test("\\\" strings inside tags: escaped quotes, unclosed ones, and plain Liquid unchanged")
    func escapedQuotes() {
        #expect(render(#"{{ x | default: \"a b\" }}|{{ x | append: \"'\" }}"#, [:]) == "a b|'")
        #expect(render(#"{% if Profile.Identity == \"user-1\" %}yes{% endif %}"#, Self.data) == "yes")
        #expect(render(#"{{ 'it\"s' }}"#, [:]) == #"it\"s"#)
        do {
            _ = try Template(#"{{ x | default: \"0 }}"#)
            Issue.record("accepted an unclosed \\\" string")
        } catch {
            #expect(error.message.contains(#"never closed; add the closing \""#), "\(error.message)")
        }
    }

    @Test("abort stops the render with its reason; it is not an error")
    func abort() throws {
        let template = try Template("""
            {% if Profile.Email == blank %}{% abort "no email on profile" %}{% endif %}{"email": "{{ Profile.Email }}"}
            """)
        #expect(try template.render(["Profile": [:]]) == .aborted(reason: "no email on profile"))
        #expect(try template.render(["Profile": ["Email": "a@b.c"]]) == .rendered(#"{"email": "a@b.c"}"#))
        #expect(try Template("x{% abort %}y").render([:]) == .aborted(reason: nil))
        #expect(try Template("{% abort %}").render([:]).isAborted)
        #expect(try Template("{% abort %}").render([:]).output == nil)
    }

    @Test("abort inside a loop or partial stops the whole render")
    func abortNested() {
        #expect(render("{% for i in (1..3) %}{{ i }}{% if i == 2 %}{% abort 'two' %}{% endif %}{% endfor %}") == "ABORTED: two")
        #expect(render("a{% include 'p' %}b", partials: ["p": "{% abort %}"]) == "ABORTED: -")
    }
}
