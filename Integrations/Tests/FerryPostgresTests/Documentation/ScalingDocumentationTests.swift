import FerryPostgres
import Foundation
import Testing

/// Keeps Documentation/Scaling.md honest: its Swift samples are compiled in ScalingSnippets.swift, and its SQL is
/// what the migration runs. These need no database.
@Suite("Scaling guide")
struct ScalingDocumentationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let guide = packageRoot.appendingPathComponent("../Documentation/Scaling.md").standardizedFileURL

    static func normalise(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    static let catalogPage = packageRoot.appendingPathComponent("Sources/FerryPostgres/FerryPostgres.docc/FerryPostgres.md")

    static func blocks(_ language: String, in page: URL = guide) throws -> [String] {
        let text = try String(contentsOf: page, encoding: .utf8)
        return text.components(separatedBy: "```\(language)\n").dropFirst().compactMap { part in
            part.range(of: "```").map { String(part[..<$0.lowerBound]) }
        }
    }

    /// Checks that each sample starts with `// FerryPostgres` and appears line for line in ScalingSnippets.swift.
    static func expectCompiled(_ samples: [String], from page: String) throws {
        let snippets = Self.normalise(try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("ScalingSnippets.swift"), encoding: .utf8))
        for sample in samples {
            #expect(sample.hasPrefix("// FerryPostgres\n"), "the root package's snippet test skips blocks by this marker")
            let lines = Self.normalise(sample)
            let found = (0...max(0, snippets.count - lines.count)).contains {
                $0 + lines.count <= snippets.count && Array(snippets[$0..<$0 + lines.count]) == lines
            }
            #expect(found, "\(page): not found in ScalingSnippets.swift:\n\(sample)")
        }
    }

    @Test("every Swift sample in Scaling.md starts with `// FerryPostgres` and is compiled in ScalingSnippets.swift")
    func samplesCompile() throws {
        let samples = try Self.blocks("swift")
        #expect(samples.count == 3)
        try Self.expectCompiled(samples, from: "Scaling.md")
    }

    @Test("FerryPostgres' DocC landing page shows a sample, compiled line for line in ScalingSnippets.swift")
    func catalogSampleCompiles() throws {
        let samples = try Self.blocks("swift", in: Self.catalogPage)
        #expect(!samples.isEmpty, "FerryPostgres.md shows no example")
        try Self.expectCompiled(samples, from: "FerryPostgres.md")
    }

    @Test("the migration SQL in Scaling.md is what migrationSQL() returns")
    func migrationSQLDocumented() throws {
        let sql = try #require(try Self.blocks("sql").first)
        let expected = try PostgresOutbox.migrationSQL()
        #expect(sql == expected + "\n", "Scaling.md should show:\n\(expected)")
    }
}
