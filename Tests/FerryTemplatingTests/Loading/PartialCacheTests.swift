import FerryCore
import FerryTemplating
import Synchronization
import Testing

/// A loader that counts how often each partial is asked for.
private final class CountingLoader: TemplateLoader {
    let partials: [String: String]
    private let requests = Mutex<[String]>([])

    init(_ partials: [String: String]) {
        self.partials = partials
    }

    func source(named name: String) -> String? {
        requests.withLock { $0.append(name) }
        return partials[name]
    }

    var requested: [String] { requests.withLock { $0 } }
}

@Suite("Partials parsed once per template")
struct PartialCacheTests {
    @Test("a partial is read from the loader once per template, not once per render or per include")
    func readOnce() throws {
        let loader = CountingLoader(["greeting": "Hi {{ name }}!"])
        let template = try Template(#"{% render 'greeting', name: "A" %} {% include 'greeting' with "B" as name %}"#,
                                    environment: TemplateEnvironment(loader: loader))
        for _ in 0..<3 {
            #expect(try template.render([:]).output == "Hi A! Hi B!")
        }
        #expect(loader.requested == ["greeting"])
    }

    @Test("renders running at once share the parsed partial and each render's output is its own")
    func concurrentRenders() async throws {
        let loader = CountingLoader(["row": "{{ n }};"])
        let template = try Template("{% for n in (1..3) %}{% include 'row' %}{% endfor %}",
                                    environment: TemplateEnvironment(loader: loader))
        #expect(try template.render([:]).output == "1;2;3;")
        let outputs = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<16 { group.addTask { try? template.render([:]).output } }
            var outputs: [String?] = []
            for await output in group { outputs.append(output) }
            return outputs
        }
        #expect(outputs == Array(repeating: "1;2;3;", count: 16))
        #expect(loader.requested == ["row"])
    }

    @Test("a missing partial is not cached: every render asks the loader again and fails the same way")
    func missingPartialIsAskedAgain() throws {
        let loader = CountingLoader([:])
        let template = try Template("{% include 'gone' %}", environment: TemplateEnvironment(loader: loader))
        for _ in 0..<2 {
            #expect(throws: TemplateError.self) { try template.render([:]) }
        }
        #expect(loader.requested == ["gone", "gone"])
    }

    @Test("a partial that does not parse is not cached: every render reports its error")
    func brokenPartialIsNotCached() throws {
        let loader = CountingLoader(["broken": "{% if %}"])
        let template = try Template("{% include 'broken' %}", environment: TemplateEnvironment(loader: loader))
        for _ in 0..<2 {
            do {
                _ = try template.render([:])
                Issue.record("expected a syntax error from the partial")
            } catch {
                #expect(error.kind == .syntax)
                #expect(error.templateName == "broken")
            }
        }
        #expect(loader.requested == ["broken", "broken"])
    }

    @Test("the cache keeps at most maximumCachedPartials partials, forgetting the oldest")
    func bounded() throws {
        let partials = ["a": "a", "b": "b", "c": "c"]
        let source = "{% for name in names %}{% include name %}{% endfor %}"
        let context: JSONValue = ["names": ["a", "b", "c"]]

        let roomy = CountingLoader(partials)
        let roomyTemplate = try Template(source, environment: TemplateEnvironment(
            loader: roomy, limits: TemplateLimits(maximumCachedPartials: 3)))
        #expect(try roomyTemplate.render(context).output == "abc")
        #expect(try roomyTemplate.render(context).output == "abc")
        #expect(roomy.requested == ["a", "b", "c"])

        // With room for two, storing "c" forgets "a", and so on: the second render reads all three again.
        let tight = CountingLoader(partials)
        let tightTemplate = try Template(source, environment: TemplateEnvironment(
            loader: tight, limits: TemplateLimits(maximumCachedPartials: 2)))
        #expect(try tightTemplate.render(context).output == "abc")
        #expect(try tightTemplate.render(context).output == "abc")
        #expect(tight.requested == ["a", "b", "c", "a", "b", "c"])

        // 0 turns the cache off: each render reads each partial once (within a render it is still reused).
        let off = CountingLoader(partials)
        let offTemplate = try Template("{% include 'a' %}{% include 'a' %}", environment: TemplateEnvironment(
            loader: off, limits: TemplateLimits(maximumCachedPartials: 0)))
        #expect(try offTemplate.render([:]).output == "aa")
        #expect(try offTemplate.render([:]).output == "aa")
        #expect(off.requested == ["a", "a"])
    }

    @Test("a strict-mode error inside a cached partial quotes the path from the partial's own text")
    func undefinedInCachedPartial() throws {
        let loader = CountingLoader(["card": "Dear {{ Event.Missing }}"])
        let template = try Template("{{ Profile.Name }}: {% include 'card' %}",
                                    environment: TemplateEnvironment(mode: .strict, loader: loader))
        for _ in 0..<2 {
            do {
                _ = try template.render(["Profile": ["Name": "Jane"], "Event": [:]])
                Issue.record("expected an undefined-variable error")
            } catch {
                #expect(error.kind == .undefinedVariable)
                #expect(error.variablePath == "Event.Missing")
                #expect(error.templateName == "card")
            }
        }
        #expect(loader.requested == ["card"])
    }

    @Test("a cached partial with offset: continue still makes the render record loop offsets")
    func continueOffsetInCachedPartial() throws {
        let loader = CountingLoader(["pages": "{% for i in (1..4) limit: 2 offset: continue %}{{ i }}{% endfor %};"])
        let template = try Template("{% include 'pages' %}{% include 'pages' %}",
                                    environment: TemplateEnvironment(loader: loader))
        #expect(try template.render([:]).output == "12;34;")
        #expect(try template.render([:]).output == "12;34;")
        #expect(loader.requested == ["pages"])
    }
}
