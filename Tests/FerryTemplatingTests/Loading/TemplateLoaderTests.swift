import Foundation
import FerryCore
import FerryTemplating
import Testing

@Suite("Template loaders")
struct TemplateLoaderTests {
    func directory(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-loader-\(UUID().uuidString)")
        for (name, text) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test("the in-memory loader returns partials by name")
    func inMemory() {
        let loader = InMemoryTemplateLoader(["footer": "bye"])
        #expect(loader.source(named: "footer") == "bye")
        #expect(loader.source(named: "header") == nil)
    }

    @Test("the directory loader reads NAME.liquid, or NAME when it has an extension, in sub-folders too")
    func directoryLoader() throws {
        let root = try directory(["footer.liquid": "F", "emails/sig.txt": "S", "emails/body.liquid": "B"])
        defer { try? FileManager.default.removeItem(at: root) }
        let loader = DirectoryTemplateLoader(directory: root)
        #expect(loader.source(named: "footer") == "F")
        #expect(loader.source(named: "footer.liquid") == "F")
        #expect(loader.source(named: "emails/sig.txt") == "S")
        #expect(loader.source(named: "emails/body") == "B")
        #expect(loader.source(named: "missing") == nil)
        let environment = TemplateEnvironment(loader: loader)
        #expect(try Template("{% render 'footer' %}{% include 'emails/body' %}", environment: environment).render([:]).output == "FB")
    }

    @Test("the directory loader never reads outside its directory", arguments: [
        "../secret", "/etc/passwd", "emails/../../secret", "~/secret", "a\\b", "", "./footer", "emails//body",
    ])
    func confinement(_ name: String) throws {
        let root = try directory(["inner/footer.liquid": "F", "secret.liquid": "TOP SECRET"])
        defer { try? FileManager.default.removeItem(at: root) }
        let loader = DirectoryTemplateLoader(directory: root.appendingPathComponent("inner"))
        #expect(loader.source(named: name) == nil)
    }

    @Test("a template loaded through a partial reports errors with the partial's name")
    func partialErrorsNamePartial() throws {
        let environment = TemplateEnvironment(loader: InMemoryTemplateLoader(["broken": "{% if %}"]))
        do {
            _ = try Template("{% include 'broken' %}", environment: environment).render([:])
            Issue.record("expected an error")
        } catch {
            #expect(error.templateName == "broken")
            #expect(error.kind == .syntax)
        }
    }
}
