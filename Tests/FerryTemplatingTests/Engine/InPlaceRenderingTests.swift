import FerryCore
import FerryTemplating
import Testing

/// The renderer runs the standard `default`, `downcase` and `upcase` in place, follows data paths with position
/// hints kept between renders, and reuses a template's buffers from one render to the next (issue #18's speed
/// work). None of that may change what a render gives: these tests compare each in-place path with the filter's
/// own closure, and renders with each other.
@Suite("In-place rendering")
struct InPlaceRenderingTests {
    /// The same standard closures, registered by name: the parser then calls them instead of running the filters
    /// in place, so the two environments must agree on every input.
    static let closureEnvironment: TemplateEnvironment = {
        var environment = TemplateEnvironment()
        let standard = TemplateEnvironment().filters
        for name in ["default", "downcase", "upcase"] {
            if let filter = standard[name] { environment.register(filter: name, filter) }
        }
        return environment
    }()

    static let values: [JSONValue] = [
        .null, false, true, 0, -0.5, JSONNumber(text: "12345678901234567890").map(JSONValue.number) ?? .null, "", " ", "Jane.Doe@Example.COM", "ÀÉÎ Ünïcödé straße",
        "tab\there \"quoted\" back\\slash", [], ["A", "b"], [:], ["K": "V"],
    ]

    static let templates: [String] = [
        #"{{ v | default: "Fallback" }}"#,
        "{{ v | default }}",
        "{{ missing | default: 'F' }}",
        "{{ v | downcase }}",
        "{{ v | upcase }}",
        #"{{ v | default: "Fall Back" | downcase }}"#,
        "{{ v | upcase | downcase }}",
        "{{ (1..3) | default: 'F' }}|{{ (3..1) | default: 'F' }}|{{ empty | default: 'F' }}|{{ blank | default: 'F' }}",
        "{% for x in v %}{{ x | upcase }},{% endfor %}",
    ]

    static let payloads: [String] = [
        #"{"a": "{{ v | downcase }}", "b": "{{ v | upcase }}", "c": {{ v | default: "F" }}, "d": {{ v | downcase }}}"#,
        #"{"e": "{{ missing | default: "x" | upcase }}"}"#,
    ]

    @Test("default, downcase and upcase in place give what their closures give, in text templates",
          arguments: templates)
    func textMatchesClosures(source: String) throws {
        for mode in [TemplateMode.lax, .strict] {
            let inPlace = try Template(source, environment: TemplateEnvironment(mode: mode))
            var closures = Self.closureEnvironment
            closures.mode = mode
            let viaClosures = try Template(source, environment: closures)
            for value in Self.values {
                let context: JSONValue = ["v": value]
                let expected = Result { try viaClosures.render(context).output }
                let actual = Result { try inPlace.render(context).output }
                #expect(describe(actual) == describe(expected), "\(source) with v = \(value), \(mode)")
            }
        }
    }

    @Test("default, downcase and upcase in place give what their closures give, in payload templates",
          arguments: payloads)
    func payloadMatchesClosures(source: String) throws {
        let inPlace = try PayloadTemplate(source)
        let viaClosures = try PayloadTemplate(source, environment: Self.closureEnvironment)
        for value in Self.values {
            let context: JSONValue = ["v": value]
            let expected = Result { try viaClosures.render(context).output }
            let actual = Result { try inPlace.render(context).output }
            #expect(describe(actual) == describe(expected), "\(source) with v = \(value)")
        }
    }

    @Test("ASCII text is mapped in place; other text and text that needs escaping take the closure")
    func caseMappingPaths() throws {
        #expect(try Template("{{ v | downcase }}").render(["v": "Jane.Doe@Example.COM"]).output == "jane.doe@example.com")
        #expect(try Template("{{ v | upcase }}").render(["v": "straße Ü"]).output == "STRASSE Ü")
        #expect(try Template("{{ v | downcase }}").render(["v": "ÀB"]).output == "àb")
        let payload = try PayloadTemplate(#"{"e": "{{ v | downcase }}"}"#)
        #expect(try payload.render(["v": "A\"B\n"]).output == #"{"e": "a\"b\n"}"#)
        #expect(try payload.render(["v": 9]).output == #"{"e": "9"}"#)
    }

    @Test("text past the output limit fails as the filter's closure fails")
    func caseMappingPastTheLimit() throws {
        var limits = TemplateLimits.default
        limits.maximumOutputBytes = 8
        var closures = Self.closureEnvironment
        closures.limits = limits
        let long: JSONValue = ["v": "ABCDEFGHIJKLMNOP"]
        let inPlace = try Template("{{ v | downcase }}", environment: TemplateEnvironment(limits: limits))
        let viaClosures = try Template("{{ v | downcase }}", environment: closures)
        #expect(describe(Result { try inPlace.render(long).output }) == describe(Result { try viaClosures.render(long).output }))
    }

    @Test("a data path finds its value when the context's shape changes between renders")
    func pathHintsFollowTheContext() throws {
        let template = try Template(#"{{ Profile.Email }}|{{ Event["User Rating"] }}|{{ Profile.Address.City }}"#)
        let first: JSONValue = [
            "Profile": ["Identity": "u1", "Name": "J", "Email": "a@x.io", "Address": ["Zip": "1", "City": "Pune"]],
            "Event": ["Name": "NPS", "User Rating": 9],
        ]
        let reordered: JSONValue = [
            "Event": ["User Rating": 7, "Name": "NPS"],
            "Profile": ["Address": ["City": "Goa"], "Email": "b@x.io"],
        ]
        let missing: JSONValue = ["Profile": ["Identity": "u1", "Name": "J", "Phone": "1"], "Event": "not an object"]
        let wide: JSONValue = [
            "Profile": .object(JSONObject((0..<300).map { ("k\($0)", JSONValue.int($0)) } + [("Email", "c@x.io")])),
            "Event": ["User Rating": 1],
        ]
        for _ in 0..<2 {
            #expect(try template.render(first).output == "a@x.io|9|Pune")
            #expect(try template.render(reordered).output == "b@x.io|7|Goa")
            #expect(try template.render(missing).output == "||")
            #expect(try template.render(wide).output == "c@x.io|1|")
        }
    }

    @Test("each render starts from empty buffers, one after another and at the same time")
    func reusedBuffers() async throws {
        let template = try Template("{% for t in Tags %}[{{ t }}]{% endfor %}{{ Name }}")
        let payload = try PayloadTemplate(#"{"tags": [{% for t in Tags %}"{{ t }}"{% unless forloop.last %},{% endunless %}{% endfor %}]}"#)
        func context(_ index: Int) -> JSONValue {
            ["Tags": .array((0..<(index % 5)).map { .string("t\($0)") }), "Name": .string("n\(index)")]
        }
        func expected(_ index: Int) -> (String, String) {
            let tags = (0..<(index % 5)).map { "t\($0)" }
            return (tags.map { "[\($0)]" }.joined() + "n\(index)",
                    #"{"tags": ["# + tags.map { "\"\($0)\"" }.joined(separator: ",") + "]}")
        }
        for index in 0..<20 {
            #expect(try template.render(context(index)).output == expected(index).0)
            #expect(try payload.render(context(index)).output == expected(index).1)
        }
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var failures = 0
                    for index in (task * 100)..<(task * 100 + 100) {
                        if (try? template.render(context(index)).output) != expected(index).0 { failures += 1 }
                        if (try? payload.render(context(index)).output) != expected(index).1 { failures += 1 }
                    }
                    return failures
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
    }
}

/// The output, or the error's kind and message, as one comparable text.
private func describe<Failure: Error>(_ result: Result<String?, Failure>) -> String {
    switch result {
    case .success(let output): return "output: \(output ?? "<aborted>")"
    case .failure(let error): return "error: \(error)"
    }
}
