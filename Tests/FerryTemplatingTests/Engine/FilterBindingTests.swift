import FerryCore
import FerryTemplating
import Testing

/// Standard filters are bound at parse time in their own closure form unless the environment replaced them:
/// these tests pin that a replacement always wins and that argument checks still happen at render time.
@Suite("Filter binding")
struct FilterBindingTests {
    static let replaced: LiquidFilter = { _, _, _ in .string("replaced") }

    @Test("a standard filter replaced through the filters dictionary is the one templates call")
    func replacedThroughDictionary() throws {
        var environment = TemplateEnvironment()
        environment.filters["downcase"] = FilterBindingTests.replaced
        let template = try Template("{{ 'ABC' | downcase }} {{ 'abc' | upcase }}", environment: environment)
        #expect(try template.render([:]).output == "replaced ABC")
    }

    @Test("a standard filter replaced with register(filter:) is the one templates call; the others stay standard")
    func replacedByRegistering() throws {
        var environment = TemplateEnvironment()
        environment.register(filter: "downcase", FilterBindingTests.replaced)
        let template = try Template("{{ 'ABC' | downcase }} {{ 'abc' | upcase }}", environment: environment)
        #expect(try template.render([:]).output == "replaced ABC")
    }

    @Test("an environment created with its own filters uses only those")
    func ownFilters() throws {
        let environment = TemplateEnvironment(filters: ["downcase": FilterBindingTests.replaced])
        let template = try Template("{{ 'ABC' | downcase }} {{ 'abc' | upcase }}", environment: environment)
        // `upcase` is unknown here: lax mode passes the value through.
        #expect(try template.render([:]).output == "replaced abc")
    }

    @Test("a bound standard filter given wrong constant arguments fails at render, naming the filter and the form",
          arguments: ["{{ 'a' | downcase: 1 }}", "{{ 'a' | downcase: when: 1 }}", "{{ 'a' | append }}"])
    func constantArgumentsChecked(_ source: String) throws {
        let template = try Template(source)
        let error = try #require(throws: TemplateError.self) { try template.render([:]) }
        #expect(error.kind == .filterFailed)
        #expect(error.message.contains("Write it as"))
    }

    @Test("a bound standard filter given variable arguments checks them on every render")
    func variableArgumentsChecked() throws {
        let template = try Template("{{ 'a' | append: x, y }}")
        let error = try #require(throws: TemplateError.self) { try template.render(["x": "b", "y": "c"]) }
        #expect(error.kind == .filterFailed)
        #expect(error.message.contains("filter 'append'"))
        #expect(try Template("{{ 'a' | append: x }}").render(["x": "b"]).output == "ab")
    }
}
