import FerryCore
import FerryTemplating
import Testing

@Suite("JSON payload templates")
struct PayloadTemplateTests {
    static let source = """
        {"name": "{{ v }}", "value": {{ v }}, "greeting": "Hi {{ v }}!",
         "list": [{% for x in list %}{{ x }}{% unless forloop.last %},{% endunless %}{% endfor %}],
         "quoted": [{% for x in list %}"{{ x }}"{% unless forloop.last %}, {% endunless %}{% endfor %}],
         "{{ v }}": true}
        """

    static let hostile: [JSONValue] = [
        "plain",
        #"she said "hi""#,
        #"back\slash\"#,
        "line\nbreak\r\nand\ttab",
        "bell\u{07} nul\u{00} esc\u{1B} del\u{7F}",
        "emoji 😀 and 👨‍👩‍👧 and é",
        "separators \u{2028} \u{2029}",
        "</script><!-- {{ }} {% %}",
        .string(String(repeating: "x\"\\\n", count: 2_560)),
        "42",
        "-0.5e10",
        "true",
        "null",
        "",
        .int(42),
        .double(-3.25),
        .bool(false),
        .null,
        ["a", 1, ["nested": "q\"uote"]],
        ["key \"x\"": "v\n"],
    ]

    @Test("hostile data always yields valid JSON whose values equal the data", arguments: hostile)
    func hostileData(_ value: JSONValue) throws {
        let payload = try PayloadTemplate(Self.source)
        let list: JSONValue = [value, "\"", 7]
        let parsed = try #require(try payload.renderJSON(["v": value, "list": list]))
        #expect(parsed["value"] == value)
        #expect(parsed["list"] == list)
        let text: String = switch value {
        case .string(let string): string
        case .null: ""
        case .number(let number): number.text
        case .bool(let flag): flag ? "true" : "false"
        case .array, .object:
            try Template("{{ v }}").render(["v": value]).output ?? ""
        }
        #expect(parsed["name"] == .string(text))
        #expect(parsed["greeting"] == .string("Hi \(text)!"))
        #expect(parsed[text] == .bool(true))
    }

    @Test("a missing value is null where a value goes and empty inside a string")
    func missingValue() throws {
        let payload = try PayloadTemplate(#"{"a": {{ nope.deep }}, "b": "{{ nope }}"}"#)
        #expect(try payload.renderJSON([:]) == ["a": .null, "b": ""])
    }

    @Test("an NPS payload shaped like the seed's, in plain Liquid quotes (not the printed text: see CleverTapDialectTests), renders as JSON")
    func seedPayload() throws {
        let payload = try PayloadTemplate(#"{ "userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }} }"#)
        #expect(try payload.renderJSON(["Profile": ["Identity": "u\"1"], "Event": ["User Rating": 9]])
            == ["userId": "u\"1", "npsScore": 9])
        #expect(try payload.renderJSON([:]) == ["userId": "0", "npsScore": 0])
        #expect(try payload.render([:]) == .rendered(#"{ "userId": "0", "npsScore": 0 }"#))
    }

    @Test("control flow inside JSON is allowed when every branch leaves the same context")
    func controlFlow() throws {
        let payload = try PayloadTemplate("""
            {"tier": {% if score >= 9 %}"promoter"{% elsif score >= 7 %}"passive"{% else %}{{ score }}{% endif %},
             "label": "{% case score %}{% when 10 %}top{% else %}{{ score }}{% endcase %}",
             {% assign n = score | plus: 1 %}"next": {{ n }}}
            """)
        #expect(try payload.renderJSON(["score": 10]) == ["tier": "promoter", "label": "top", "next": 11])
        #expect(try payload.renderJSON(["score": 3]) == ["tier": 3, "label": "3", "next": 4])
    }

    struct AmbiguousCase: Sendable, CustomTestStringConvertible {
        let source: String
        let kind: TemplateError.Kind
        var testDescription: String { source }
    }

    static let refused: [AmbiguousCase] = [
        AmbiguousCase(source: #"{"a": {% if x %}"{% endif %}{{ y }}"}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{ {{ key }}: 1 }"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": 1 {{ x }} }"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": "x"}}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": "open"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": "\{{ x }}"}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"t": {% tablerow i in (1..2) %}{% endtablerow %}}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"p": {% include 'x' %}}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": {% if x %}1{% else %}"s{% endif %}}"#, kind: .ambiguousJSONContext),
        AmbiguousCase(source: #"{"a": {{ x "#, kind: .syntax),
    ]

    @Test("a tag whose JSON context is uncertain, or text that cannot be JSON, is a parse error", arguments: refused)
    func refusedAtParse(_ testCase: AmbiguousCase) throws {
        do {
            _ = try PayloadTemplate(testCase.source, name: "body.json.liquid")
            Issue.record("expected \(testCase.kind)")
        } catch {
            #expect(error.kind == testCase.kind)
            #expect(error.line == 1 && error.column > 0)
            #expect(error.templateName == "body.json.liquid")
        }
    }

    @Test("output that is not valid JSON is an error pointing at the template, never returned")
    func invalidOutput() throws {
        let payload = try PayloadTemplate("{\"ids\": [{% for x in list %}{{ x }},{% endfor %}\n]}", name: "ids")
        #expect(try payload.renderJSON(["list": []]) == ["ids": []])
        do {
            _ = try payload.render(["list": [1, 2]])
            Issue.record("expected invalidJSONOutput")
        } catch {
            #expect(error.kind == .invalidJSONOutput)
            #expect(error.line == 2 && error.column == 1)
            #expect(error.message.contains("not valid JSON"))
        }
    }

    @Test("abort in a payload is reported as aborted, not as invalid JSON")
    func abort() throws {
        let payload = try PayloadTemplate(#"{% if Profile.Email == blank %}{% abort "no email" %}{% endif %}{"e": "{{ Profile.Email }}"}"#)
        #expect(try payload.render(["Profile": [:]]) == .aborted(reason: "no email"))
        #expect(try payload.renderJSON(["Profile": [:]]) == nil)
        #expect(try payload.renderJSON(["Profile": ["Email": "a@b"]]) == ["e": "a@b"])
    }

    @Test("a payload template renders concurrently from many tasks")
    func concurrentRenders() async throws {
        let payload = try PayloadTemplate(#"{"i": {{ i }}, "s": "{{ s }}"}"#)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<64 {
                group.addTask {
                    try payload.renderJSON(["i": .int(index), "s": .string("\"\(index)\"")]) == ["i": .int(index), "s": .string("\"\(index)\"")]
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
