import FerryCore
import FerryTemplating
import Testing

@Suite("Template errors")
struct ErrorTests {
    func parseError(_ source: String, _ environment: TemplateEnvironment = TestFilters.environment()) -> TemplateError? {
        do {
            _ = try Template(source, name: "payload.liquid", environment: environment)
            return nil
        } catch {
            return error
        }
    }

    func renderError(_ source: String, _ data: JSONValue = [:],
                     _ environment: TemplateEnvironment = TestFilters.environment()) -> TemplateError? {
        do {
            _ = try Template(source, name: "payload.liquid", environment: environment).render(data)
            return nil
        } catch {
            return error
        }
    }

    struct ParseCase: Sendable, CustomTestStringConvertible {
        let source: String
        let kind: TemplateError.Kind
        let line: Int
        let column: Int
        var testDescription: String { source }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(source: "ok\n{{ foo..bar }}", kind: .syntax, line: 2, column: 7),
        ParseCase(source: "{{ products[0]title }}", kind: .syntax, line: 1, column: 15),
        ParseCase(source: "{% assign x = 1 + 2 %}", kind: .syntax, line: 1, column: 17),
        ParseCase(source: "{% if a endswith b %}{% endif %}", kind: .syntax, line: 1, column: 9),
        ParseCase(source: "{% if not a %}{% endif %}", kind: .syntax, line: 1, column: 11),
        ParseCase(source: "line\n  {% nosuchtag %}", kind: .unknownTag, line: 2, column: 6),
        ParseCase(source: "{% if true %}open", kind: .unclosedBlock, line: 1, column: 1),
        ParseCase(source: "{% for x in y %}", kind: .unclosedBlock, line: 1, column: 1),
        ParseCase(source: "{% comment %}never closed", kind: .unclosedBlock, line: 1, column: 1),
        ParseCase(source: "{% raw %}never closed", kind: .unclosedBlock, line: 1, column: 1),
        ParseCase(source: "text {% endif %}", kind: .unexpectedTag, line: 1, column: 6),
        ParseCase(source: "{% else %}", kind: .unexpectedTag, line: 1, column: 1),
        ParseCase(source: "{{ 'unterminated }}", kind: .syntax, line: 1, column: 4),
        ParseCase(source: "{{ x", kind: .syntax, line: 1, column: 1),
        ParseCase(source: "{% case x %}{% when %}{% endcase %}", kind: .syntax, line: 1, column: 13),
        ParseCase(source: "{% for x in (1..3) limit %}{% endfor %}", kind: .syntax, line: 1, column: 26),
        ParseCase(source: "{% assign -x = 1 %}", kind: .syntax, line: 1, column: 11),
        ParseCase(source: "{% doc x %}{% enddoc %}", kind: .syntax, line: 1, column: 7),
        ParseCase(source: "{%\n # a\n b\n%}", kind: .syntax, line: 3, column: 2),
        ParseCase(source: "{% render name %}", kind: .syntax, line: 1, column: 11),
        ParseCase(source: "{{ @x }}", kind: .syntax, line: 1, column: 4),
    ]

    @Test("parse errors carry the kind, line and column", arguments: parseCases)
    func parseErrors(_ testCase: ParseCase) throws {
        let error = try #require(parseError(testCase.source))
        #expect(error.kind == testCase.kind)
        #expect(error.line == testCase.line)
        #expect(error.column == testCase.column)
        #expect(error.templateName == "payload.liquid")
        #expect(error.description.hasPrefix("payload.liquid:\(testCase.line):\(testCase.column): error: "))
    }

    @Test("an error shows the source line and a caret under the column")
    func excerpt() throws {
        let error = try #require(parseError("first\n{{ 'a' | upcase: }}"))
        #expect(error.excerpt == "{{ 'a' | upcase: }}")
        #expect(error.description.contains("\n  {{ 'a' | upcase: }}\n  "))
    }

    @Test("strict mode: an undefined variable is an error naming the full path")
    func strictUndefinedVariable() throws {
        let data: JSONValue = ["Profile": ["Email": "a@b.c"]]
        let error = try #require(renderError("Hi\n  {{ Profile.Emial }}", data, TestFilters.environment(.strict)))
        #expect(error.kind == .undefinedVariable)
        #expect(error.variablePath == "Profile.Emial")
        #expect(error.line == 2 && error.column == 6)
        #expect(error.message.contains("'Profile.Emial'"))
        #expect(render("{{ Profile.Emial }}", data) == "")
        #expect(render("{% if Nope.x %}y{% endif %}", mode: .strict) == "ERROR: undefinedVariable")
        #expect(render("{{ Event[\"User Rating\"] }}", ["Event": [:]], mode: .strict) == "ERROR: undefinedVariable")
    }

    @Test("strict mode: default still supplies a value for an undefined variable")
    func strictDefault() {
        #expect(render("{{ Profile.Identity | default: '0' }}", ["Profile": [:]], mode: .strict) == "0")
        #expect(render("{{ Profile.Identity | upcase | default: '0' }}", ["Profile": [:]], mode: .strict)
            == "ERROR: undefinedVariable")
    }

    @Test("strict mode: an unknown filter is a parse error; lax mode passes the value through")
    func unknownFilter() throws {
        let error = try #require(parseError("{{ x | upcaes }}", TestFilters.environment(.strict)))
        #expect(error.kind == .undefinedFilter)
        #expect(error.message.contains("upcaes"))
        #expect(render("{{ 'x' | upcaes }}") == "x")
    }

    @Test("a filter's failure becomes a render error naming the filter and position")
    func filterFailure() throws {
        let error = try #require(renderError("{{ 10 | fail: 0 }}"))
        #expect(error.kind == .filterFailed)
        #expect(error.message == "filter 'fail': the divisor must not be 0")
        #expect(error.column == 9)
    }

    @Test("comparing a string with a number is an error")
    func invalidOperands() {
        #expect(render("{% if '2' > 1 %}{% endif %}") == "ERROR: invalidOperands")
    }

    @Test("a loop argument that is not a number is an error")
    func invalidLoopArgument() {
        #expect(render("{% for i in (1..3) limit: 'ten' %}{% endfor %}") == "ERROR: invalidArgument")
        #expect(render("{% for i in (1..3) offset: a %}{% endfor %}", ["a": [1]]) == "ERROR: invalidArgument")
    }

    @Test("a missing partial, or a missing loader, is an error at the tag")
    func partialNotFound() throws {
        #expect(render("{% include 'nope' %}") == "ERROR: partialNotFound")
        let error = try #require(renderError("x {% render 'footer' %}", [:], TemplateEnvironment()))
        #expect(error.kind == .partialNotFound)
        #expect(error.message.contains("no template loader"))
        #expect(error.column == 3)
    }

    @Test("an error inside a partial points into the partial")
    func errorInPartial() throws {
        let environment = TestFilters.environment(.strict, partials: ["inner": "ok\n{{ missing }}"])
        let error = try #require(renderError("{% include 'inner' %}", [:], environment))
        #expect(error.templateName == "inner")
        #expect(error.line == 2)
    }
}
