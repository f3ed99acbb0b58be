import Foundation
import Ferry
import Testing

@Suite("ferry render")
struct RenderCommandTests {
    /// A scratch directory with the given files.
    func scratch(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return directory
    }

    @Test("renders a template against a data file, writing the output exactly")
    func rendersFile() async throws {
        let dir = try scratch([
            "t.liquid": #"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] }}}"#,
            "data.json": #"{"Profile": {"Identity": "u-1"}, "Event": {"User Rating": 9}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "t.liquid", "--data", "data.json"], currentDirectory: dir)
        #expect(result.status == 0)
        #expect(result.stdout == #"{"userId": "u-1", "npsScore": 9}"#)
        #expect(result.stderr.isEmpty)
    }

    @Test("json mode escapes hostile data and validates the payload")
    func jsonMode() async throws {
        let dir = try scratch([
            "t.liquid": #"{"name": "{{ Profile.Name }}", "v": {{ Profile.Name }}}"#,
            "data.json": #"{"Profile": {"Name": "a\"b\nc"}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "t.liquid", "--data", "data.json", "--mode", "json"], currentDirectory: dir)
        #expect(result.status == 0)
        #expect(result.stdout == #"{"name": "a\"b\nc", "v": "a\"b\nc"}"#)
        let text = try await CLI.run(["render", "t.liquid", "--data", "data.json"], currentDirectory: dir)
        #expect(text.stdout == "{\"name\": \"a\"b\nc\", \"v\": a\"b\nc}")
    }

    @Test("a parse error exits 1 with FILE:LINE:COLUMN: error: MESSAGE first on stderr")
    func parseError() async throws {
        let dir = try scratch(["bad.liquid": "line one\n  {% if x %}never closed"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "bad.liquid"], currentDirectory: dir)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").first == "bad.liquid:2:3: error: 'if' is never closed; add {% endif %}")
    }

    @Test("strict mode makes an undefined variable a render error naming its path")
    func strictRenderError() async throws {
        let dir = try scratch(["t.liquid": "Hi {{ Profile.Emial }}", "d.json": #"{"Profile": {"Email": "x"}}"#])
        defer { try? FileManager.default.removeItem(at: dir) }
        let lax = try await CLI.run(["render", "t.liquid", "--data", "d.json"], currentDirectory: dir)
        #expect(lax.status == 0 && lax.stdout == "Hi ")
        let strict = try await CLI.run(["render", "t.liquid", "--data", "d.json", "--strict"], currentDirectory: dir)
        #expect(strict.status == 1)
        #expect(strict.stderr.hasPrefix("t.liquid:1:7: error: 'Profile.Emial' is not defined"))
    }

    @Test("partials are read from --partials")
    func partials() async throws {
        let dir = try scratch(["t.liquid": "{% render 'footer', n: 2 %}", "parts/footer.liquid": "n={{ n }}"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "t.liquid", "--partials", "parts"], currentDirectory: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "n=2")
    }

    @Test("abort prints nothing on stdout, says so on stderr, and exits 0")
    func abort() async throws {
        let dir = try scratch(["t.liquid": "{% abort 'no email' %}"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "t.liquid"], currentDirectory: dir)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("aborted by {% abort %}: no email"))
    }

    @Test("usage errors exit 2", arguments: [
        ["render"], ["render", "missing.liquid"], ["render", "t.liquid", "--mode", "xml"],
        ["render", "t.liquid", "--data", "bad.json"], ["render", "t.liquid", "--data", "array.json"],
        ["render", "--batch", "cases.json", "t.liquid"], ["render", "t.liquid", "--partials", "nowhere"],
    ])
    func usageErrors(_ arguments: [String]) async throws {
        let dir = try scratch(["t.liquid": "x", "bad.json": "{nope", "array.json": "[1]", "cases.json": "[]"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(arguments, currentDirectory: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: "))
    }

    @Test("--batch renders every case in order, outputs and errors side by side")
    func batch() async throws {
        let cases = """
            [
              {"template": "{{ a | upcase }}", "data": {"a": "x"}},
              {"template": "{{ x }}", "strict": true},
              {"template": "{% include 'p' %}", "partials": {"p": "P{{ 1 }}"}},
              {"template": "{\\"v\\": {{ s }}}", "data": {"s": "q\\""}, "mode": "json"},
              {"template": "{% if %}"},
              {"template": "{% abort 'stop' %}"}
            ]
            """
        let dir = try scratch(["cases.json": cases])
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLI.run(["render", "--batch", "cases.json"], currentDirectory: dir)
        #expect(result.status == 0)
        let output = try JSONValue(parsing: result.stdout)
        let items = try #require(output.arrayValue)
        #expect(items.count == 6)
        #expect(items[0] == ["output": "X"])
        #expect(items[1]["error"]?.stringValue?.hasPrefix("template:1:4: error: 'x' is not defined") == true)
        #expect(items[2] == ["output": "P1"])
        #expect(items[3] == ["output": #"{"v": "q\""}"#])
        #expect(items[4]["error"]?.stringValue?.contains("error: 'if' needs a condition") == true)
        #expect(items[5] == ["output": "", "aborted": "stop"])
    }
}
