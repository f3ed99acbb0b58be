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
    /// first tag's quotes are JSON-escaped as CleverTap's payload editor shows them, the second's are not.
    static let seedTemplate = #"{ "userId": "{{ Profile.Identity | default: \"0\" }}", "npsScore": {{ Event["User Rating"] | default: "0" }} }"#

    @Test("the seed's payload renders as printed, \\\" quotes included, to valid JSON")
    func seedPayload() throws {
        #expect(render(Self.seedTemplate, Self.data) == #"{ "userId": "user-1", "npsScore": 9 }"#)
        let defaults = render(Self.seedTemplate, ["Profile": [:], "Event": [:]])
        #expect(defaults == #"{ "userId": "0", "npsScore": 0 }"#)
        #expect(try JSONValue(parsing: defaults) == ["userId": "0", "npsScore": 0])
        let payload = try PayloadTemplate(Self.seedTemplate)
        #expect(try payload.renderJSON(Self.data) == ["userId": "user-1", "npsScore": 9])
    }

    @Test("the fixture is the seed's text, when the seed document is at hand (FERRY_SEED_DOCUMENT)")
    func seedFixtureMatchesTheSeed() throws {
        guard let path = ProcessInfo.processInfo.environment["FERRY_SEED_DOCUMENT"], !path.isEmpty else {
            print("skipped: FERRY_SEED_DOCUMENT is not set (.ci/run sets it when ../shared/seed is present)")
            return
        }
        let document = try String(contentsOfFile: path, encoding: .utf8)
        #expect(document.contains(Self.seedTemplate), "the seed's Custom Body is no longer the fixture's text")
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
