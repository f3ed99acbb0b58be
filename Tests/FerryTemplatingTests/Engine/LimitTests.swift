import FerryCore
import FerryTemplating
import Testing

@Suite("Resource limits")
struct LimitTests {
    func kind(_ source: String, _ limits: TemplateLimits, partials: [String: String] = [:]) -> TemplateError.Kind? {
        do {
            _ = try Template(source, environment: TestFilters.environment(partials: partials, limits: limits)).render([:])
            return nil
        } catch {
            return error.kind
        }
    }

    @Test("output larger than the limit stops the render")
    func outputSize() {
        let limits = TemplateLimits(maximumOutputBytes: 1_000)
        #expect(kind("{% for i in (1..1000) %}xxxxxxxxxx{% endfor %}", limits) == .outputTooLarge)
        #expect(kind("{% for i in (1..50) %}xxxxxxxxxx{% endfor %}", limits) == nil)
    }

    @Test("a doubling assign cannot build a huge string")
    func doublingAssign() {
        let limits = TemplateLimits(maximumOutputBytes: 10_000)
        let source = "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}"
        #expect(kind(source, limits) == .outputTooLarge)
    }

    @Test("loops stop after the iteration limit, even over huge ranges")
    func iterations() {
        let limits = TemplateLimits(maximumLoopIterations: 1_000)
        #expect(kind("{% for i in (1..1000000000) %}{% endfor %}", limits) == .tooManyIterations)
        #expect(kind("{% for i in (1..40) %}{% for j in (1..40) %}{% endfor %}{% endfor %}", limits) == .tooManyIterations)
        #expect(kind("{{ (1..100000) | join: ',' }}", limits) == .tooManyIterations)
        #expect(kind("{% for i in (1..10) %}{% endfor %}", limits) == nil)
    }

    @Test("deeply nested blocks and expressions are refused, not a stack overflow")
    func nesting() {
        let limits = TemplateLimits(maximumNestingDepth: 50)
        let blocks = String(repeating: "{% if true %}", count: 60) + String(repeating: "{% endif %}", count: 60)
        #expect(kind(blocks, limits) == .tooDeep)
        let brackets = "{{ " + String(repeating: "a[", count: 60) + "0" + String(repeating: "]", count: 60) + " }}"
        #expect(kind(brackets, limits) == .tooDeep)
        let deepDefault = String(repeating: "{% if true %}", count: 5000) + String(repeating: "{% endif %}", count: 5000)
        #expect(kind(deepDefault, .default) == .tooDeep)
    }

    @Test("a partial that includes itself stops at the partial depth limit")
    func recursivePartial() {
        #expect(kind("{% include 'loop' %}", .default, partials: ["loop": "x{% include 'loop' %}"]) == .tooDeep)
    }

    @Test("a template larger than the limit is refused before parsing")
    func templateSize() {
        #expect(kind(String(repeating: "x", count: 2_000), TemplateLimits(maximumTemplateBytes: 1_000)) == .templateTooLarge)
    }

    @Test("a long chain of and/or evaluates without recursion")
    func longCondition() {
        let condition = Array(repeating: "true", count: 20_000).joined(separator: " and ")
        #expect(render("{% if \(condition) %}T{% endif %}") == "T")
    }
}
