import FerryCore
import FerryTemplating
import Testing

/// Hostile templates (huge and nested loops, deep nesting, output that doubles) end in a clear error of a known
/// kind, with the standard filters and, unless a test says otherwise, the default limits. Each of these would
/// run out of memory or time without its limit; the tests assert the error's kind and message, never a
/// wall-clock time.
@Suite("Resource limits against hostile templates")
struct ResourceLimitTests {
    /// The error a template's parse or render ends in, or `nil` when it renders.
    func failure(_ source: String, limits: TemplateLimits = .default, partials: [String: String] = [:],
                 context: JSONValue = [:]) -> TemplateError? {
        let environment = TemplateEnvironment(loader: InMemoryTemplateLoader(partials), limits: limits)
        do {
            _ = try Template(source, name: "hostile", environment: environment).render(context)
            return nil
        } catch {
            return error
        }
    }

    /// A capture that builds `count` bytes of `x` (in 1,000-byte pieces).
    func capture(_ name: String, kilobytes: Int) -> String {
        "{% capture \(name) %}{% for i in (1..\(kilobytes)) %}\(String(repeating: "x", count: 1_000)){% endfor %}{% endcapture %}"
    }

    @Test("nested loops over (1..100000) ranges stop at the iteration budget (default 1,000,000)")
    func nestedHugeLoops() throws {
        let error = try #require(failure("{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}"))
        #expect(error.kind == .tooManyIterations)
        #expect(error.message.contains("1000000"))
        #expect(error.message.contains("TemplateLimits.maximumLoopIterations"))
    }

    @Test("a partial that loops over itself stops at the iteration budget, not after 10^20 renders")
    func branchingRecursion() throws {
        // Seven levels of ten: 10^7 renders of the partial, well inside the partial depth limit.
        let partials = ["fan": "{% assign d = d | plus: 1 %}{% if d < 8 %}{% for i in (1..10) %}{% include 'fan' %}{% endfor %}{% endif %}{% assign d = d | minus: 1 %}"]
        let limits = TemplateLimits(maximumLoopIterations: 10_000)
        let error = try #require(failure("{% include 'fan' %}", limits: limits, partials: partials))
        #expect(error.kind == .tooManyIterations)
    }

    @Test("an array doubled by concat in a loop stops at the item limit")
    func doublingArray() throws {
        let source = "{% assign a = 'x' | split: ',' %}{% for i in (1..64) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}"
        let error = try #require(failure(source))
        #expect(error.kind == .tooManyIterations)
        #expect(error.message.contains("filter 'concat' built an array of"))
    }

    @Test("an array of long texts doubled by concat stops at the output limit, before it is joined")
    func doublingArrayOfLongTexts() throws {
        let source = capture("s", kilobytes: 10) + "{% assign a = s | split: ',' %}"
            + "{% for i in (1..30) %}{% assign a = a | concat: a %}{% endfor %}{{ a | join: '' }}"
        let error = try #require(failure(source))
        #expect(error.kind == .outputTooLarge)
        #expect(error.message.contains("filter 'concat' built an array whose text is more than the output limit"))
    }

    @Test("a capture that doubles itself stops at the output limit")
    func doublingCapture() throws {
        let source = "{% assign s = 'xx' %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}"
        let error = try #require(failure(source))
        #expect(error.kind == .outputTooLarge)
    }

    @Test("replace cannot multiply a text past the output limit", arguments: [
        "{{ s | replace: 'x', s }}",
        "{{ s | replace: '', s }}",
        "{{ s | remove: 'y' | replace: 'xx', s }}",
    ])
    func replaceAmplification(_ expression: String) throws {
        // 1,000 copies of a 1 MB text would be 1 GB, or a crash.
        let error = try #require(failure(capture("s", kilobytes: 1_000) + expression))
        #expect(error.kind == .outputTooLarge)
        #expect(error.message.contains("the text after replacing would be larger than 4194304 bytes"))
    }

    @Test("join cannot multiply a separator past the output limit")
    func joinAmplification() throws {
        let error = try #require(failure(capture("s", kilobytes: 1_000) + "{{ (1..100000) | join: s }}"))
        #expect(error.kind == .outputTooLarge)
        #expect(error.message.contains("the joined text would be larger than"))
    }

    @Test("a long filter chain that keeps appending stops at the output limit, before the output is written")
    func appendChain() throws {
        let chain = String(repeating: " | append: s", count: 200)
        let error = try #require(failure(capture("s", kilobytes: 1_000) + "{% assign t = s\(chain) %}"))
        #expect(error.kind == .outputTooLarge)
        #expect(error.message.contains("filter 'append' built a text of"))
    }

    @Test("filter limits follow TemplateLimits: the same template passes with a larger output limit")
    func configurable() {
        let source = capture("s", kilobytes: 10) + "{{ s | replace: 'x', 'yy' }}"
        #expect(failure(source, limits: TemplateLimits(maximumOutputBytes: 15_000))?.kind == .outputTooLarge)
        #expect(failure(source, limits: TemplateLimits(maximumOutputBytes: 50_000)) == nil)
    }

    @Test("deep nesting of tags and brackets is refused with the default limits, not a stack overflow")
    func deepNesting() throws {
        let tags = String(repeating: "{% for i in (1..1) %}", count: 20_000) + String(repeating: "{% endfor %}", count: 20_000)
        #expect(failure(tags)?.kind == .tooDeep)
        let brackets = "{{ " + String(repeating: "a[", count: 100_000) + "0" + String(repeating: "]", count: 100_000) + " }}"
        #expect(failure(brackets)?.kind == .tooDeep)
        let captures = String(repeating: "{% capture c %}", count: 20_000) + String(repeating: "{% endcapture %}", count: 20_000)
        #expect(failure(captures)?.kind == .tooDeep)
    }

    @Test("a payload whose text nests 100,000 brackets is refused when parsed (it took minutes before the limit)",
          arguments: ["[", "{\"a\":"])
    func deepPayload(_ opener: String) throws {
        let closer = opener == "[" ? "]" : "}"
        let source = String(repeating: opener, count: 100_000) + "1" + String(repeating: closer, count: 100_000)
        do {
            _ = try PayloadTemplate(source)
            Issue.record("a 100,000-deep payload was accepted")
        } catch {
            #expect(error.kind == .tooDeep)
            #expect(error.message.contains("the payload's JSON nests deeper than 100 levels"))
            #expect(error.column == 100 * opener.count + 1)
        }
        // At the limit it is accepted, and renders.
        let atLimit = String(repeating: opener, count: 100) + "1" + String(repeating: closer, count: 100)
        #expect(try PayloadTemplate(atLimit).renderJSON([:]) != nil)
    }

    @Test("a filter told the result limit by its context can stop early")
    func customFilterLimit() throws {
        var environment = TemplateEnvironment(limits: TemplateLimits(maximumOutputBytes: 100))
        environment.register(filter: "repeat") { input, arguments, context throws(FilterError) in
            let count = arguments[0]?.intValue ?? 1
            let text = input.stringValue ?? ""
            guard text.utf8.count * count <= context.maximumResultBytes else {
                throw .resultTooLarge("repeating would exceed \(context.maximumResultBytes) bytes")
            }
            return .string(String(repeating: text, count: count))
        }
        let template = try Template("{{ 'ab' | repeat: 1000000000 }}", environment: environment)
        #expect(throws: TemplateError.self) { try template.render([:]) }
        do {
            _ = try template.render([:])
        } catch {
            #expect(error.kind == .outputTooLarge)
            #expect(error.message == "filter 'repeat': repeating would exceed 100 bytes")
        }
        #expect(try Template("{{ 'ab' | repeat: 3 }}", environment: environment).render([:]).output == "ababab")
    }
}
