import Ferry
import FerryTesting
import Foundation
import Testing

/// Keeps the guides' AsyncHTTPClient samples honest: every Swift sample in README.md and Documentation/*.md that
/// starts with `// FerryAsyncHTTPClient` (the root package's snippet test skips those) must appear line for line in
/// TransportSnippets.swift, which this target compiles; and the snippets deliver through a simulated org.
@Suite("AsyncHTTPClient samples in the guides")
struct TransportDocumentationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func normalise(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    /// The module's DocC landing page: its samples are checked like the guides'.
    static let catalogPage = "Integrations/Sources/FerryAsyncHTTPClient/FerryAsyncHTTPClient.docc/FerryAsyncHTTPClient.md"

    static func samples() throws -> [(file: String, code: String)] {
        let docs = repositoryRoot.appendingPathComponent("Documentation")
        let files = ["README.md"] + (try FileManager.default.contentsOfDirectory(atPath: docs.path))
            .filter { $0.hasSuffix(".md") }.sorted().map { "Documentation/\($0)" }
            + [Self.catalogPage]
        var samples: [(file: String, code: String)] = []
        for file in files {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            for part in text.components(separatedBy: "```swift\n").dropFirst() {
                guard let end = part.range(of: "```") else { continue }
                let code = String(part[..<end.lowerBound])
                if code.hasPrefix("// FerryAsyncHTTPClient\n") { samples.append((file, code)) }
            }
        }
        return samples
    }

    @Test("README.md, Core.md and the DocC landing page show the transport; TransportSnippets.swift compiles each sample")
    func samplesCompile() throws {
        let samples = try Self.samples()
        #expect(samples.contains { $0.file == "README.md" })
        #expect(samples.contains { $0.file == "Documentation/Core.md" })
        #expect(samples.contains { $0.file == Self.catalogPage })
        let snippets = Self.normalise(try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("TransportSnippets.swift"), encoding: .utf8))
        for sample in samples {
            let lines = Self.normalise(sample.code)
            let found = (0...max(0, snippets.count - lines.count)).contains {
                $0 + lines.count <= snippets.count && Array(snippets[$0..<$0 + lines.count]) == lines
            }
            #expect(found, "\(sample.file): not found in TransportSnippets.swift:\n\(sample.code)")
        }
    }

    @Test("the samples deliver to an org", arguments: [false, true])
    func samplesDeliver(hostClient: Bool) async throws {
        let org = SimulatedSalesforceOrg()   // client "ferry-client-id", secret "ferry-client-secret"
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let url = server.baseURL.absoluteString
        let report = hostClient
            ? try await TransportSnippets.hostClient(clientID: "ferry-client-id", secret: "ferry-client-secret", org: url)
            : try await TransportSnippets.ownClient(clientID: "ferry-client-id", secret: "ferry-client-secret", org: url)
        #expect(report.delivered == 1, "\(report.failures)")
    }
}
