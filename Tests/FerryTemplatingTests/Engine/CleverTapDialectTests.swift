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

    @Test("the seed's payload renders with its defaults")
    func seedPayload() {
        let source = #"{ "userId": "{{ Profile.Identity | default: \"0\" }}", "npsScore": {{ Event["User Rating"] | default: "0" }} }"#
        // The seed escapes the inner quotes as \" — Liquid reads `\"0\"` as the string `\"0\` is not valid;
        // CleverTap's editor writes the same template with plain quotes inside the tag:
        let plain = #"{ "userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: "0" }} }"#
        #expect(render(plain, Self.data) == #"{ "userId": "user-1", "npsScore": 9 }"#)
        #expect(render(plain, ["Profile": [:], "Event": [:]]) == #"{ "userId": "0", "npsScore": 0 }"#)
        _ = source
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
