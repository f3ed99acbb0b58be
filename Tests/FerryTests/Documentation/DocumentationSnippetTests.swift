import Foundation
import Testing

/// Keeps the guides honest: every ```swift sample in README.md and Documentation/*.md must appear, line for line
/// (ignoring indentation, blank lines and `import` lines), in DocumentationSnippets.swift (or, for Testing.md,
/// FerryTestingTests' DocumentationSampleTests.swift), which the tests compile, or in Sources/ for excerpts of
/// the SDK's own declarations. A sample that starts with
/// `// Package.swift` is a manifest fragment and is skipped, and one that starts with `// FerryPostgres` or
/// `// FerryAsyncHTTPClient` or `// FerryServerSide` belongs to the separate Integrations package, whose own tests
/// compile and compare it.
@Suite("Documentation samples")
struct DocumentationSnippetTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Sample: CustomTestStringConvertible, Sendable {
        let file: String
        let index: Int
        let lines: [String]
        var testDescription: String { "\(file) sample \(index + 1)" }
    }

    static func normalise(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    static func samples() -> [Sample] {
        var files = ["README.md"]
        let docs = root.appendingPathComponent("Documentation")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        files += names.filter { $0.hasSuffix(".md") }.sorted().map { "Documentation/\($0)" }
        var samples: [Sample] = []
        for file in files {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { continue }
            let parts = text.components(separatedBy: "```swift\n")
            for (index, part) in parts.dropFirst().enumerated() {
                guard let end = part.range(of: "```") else { continue }
                let code = String(part[..<end.lowerBound])
                if code.hasPrefix("// Package.swift") || code.hasPrefix("// FerryPostgres")
                    || code.hasPrefix("// FerryAsyncHTTPClient") || code.hasPrefix("// FerryServerSide") { continue }
                samples.append(Sample(file: file, index: index, lines: normalise(code)))
            }
        }
        return samples
    }

    static func corpus(_ directory: String, suffix: String) -> [[String]] {
        let base = root.appendingPathComponent(directory)
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { return [] }
        var corpus: [[String]] = []
        for case let path as String in enumerator where path.hasSuffix(suffix) {
            if let text = try? String(contentsOf: base.appendingPathComponent(path), encoding: .utf8) {
                // Declarations in Sources carry doc comments between their lines; drop comment lines there.
                var lines = normalise(text)
                if directory == "Sources" { lines = lines.filter { !$0.hasPrefix("///") && !$0.hasPrefix("//") } }
                corpus.append(lines)
            }
        }
        return corpus
    }

    static func contains(_ haystack: [String], _ needle: [String]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<start + needle.count]) == needle { return true }
        }
        return false
    }

    @Test("the guides have Swift samples to check")
    func found() {
        #expect(Self.samples().count >= 10)
    }

    @Test("every Swift sample is compiled by the tests (or quotes the SDK's source)", arguments: samples())
    func compiled(_ sample: Sample) {
        // Testing.md's samples run as tests of FerryTesting.
        let snippets = Self.corpus("Tests/FerryTests/Documentation", suffix: "Snippets.swift")
            + Self.corpus("Tests/FerryTestingTests", suffix: "DocumentationSampleTests.swift")
        let sources = Self.corpus("Sources", suffix: ".swift")
        let found = (snippets + sources).contains { Self.contains($0, sample.lines) }
        #expect(found, "add this sample, unchanged, to Tests/FerryTests/Documentation/DocumentationSnippets.swift: \(sample.lines.first ?? "")")
    }
}
