import Ferry
import FerryTesting
import FerryTracing
import Foundation
import InMemoryTracing
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Testing
import Tracing

/// Keeps Documentation/ServerSide.md honest: every Swift sample there that starts with `// FerryServerSide` (the
/// root package's snippet test skips those) must appear line for line in ServerSideSnippets.swift, which this
/// target compiles; and the snippets run against a simulated org.
@Suite("Server-side samples in the guides")
struct ServerSideDocumentationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func normalise(_ text: some StringProtocol) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("import ") }
    }

    @Test("ServerSide.md's samples appear line for line in ServerSideSnippets.swift")
    func samplesCompile() throws {
        let text = try String(
            contentsOf: Self.repositoryRoot.appendingPathComponent("Documentation/ServerSide.md"), encoding: .utf8)
        let samples = text.components(separatedBy: "```swift\n").dropFirst().compactMap { part -> String? in
            guard let end = part.range(of: "```") else { return nil }
            let code = String(part[..<end.lowerBound])
            return code.hasPrefix("// FerryServerSide\n") ? code : nil
        }
        #expect(samples.count >= 4)
        let snippets = Self.normalise(try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("ServerSideSnippets.swift"), encoding: .utf8))
        for sample in samples {
            let lines = Self.normalise(sample)
            let found = (0...max(0, snippets.count - lines.count)).contains {
                $0 + lines.count <= snippets.count && Array(snippets[$0..<$0 + lines.count]) == lines
            }
            #expect(found, "not found in ServerSideSnippets.swift:\n\(sample)")
        }
    }

    @Test("the samples deliver to an org and stop with the service group")
    func samplesRun() async throws {
        let org = SimulatedSalesforceOrg()
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let client = SimulatedClient.example
        let (logger, logs) = CapturingLogHandler.logger()
        let exporter = try ServerSideSnippets.exporter(
            myDomain: org.org.baseURL.absoluteString, clientID: client.id, secret: client.secret.reveal(),
            transport: org, logger: logger)
        let bridges = ServerSideSnippets.bridges(pipeline: exporter.pipeline, logger: logger)
        let tracing = DeliveryTracing(tracer: InMemoryTracer())
        try await ServerSideSnippets.accept(exporter, tracing: tracing, eventID: "evt-1")
        // SIGTERM's effect without a signal: the test kit's trigger starts a graceful shutdown in the task that
        // runs the group, which the group passes on to its services in reverse order.
        try await testGracefulShutdown { trigger in
            let server = WaitsForShutdown()
            let group = Task { try await ServerSideSnippets.service(exporter: exporter, server: server, logger: logger) }
            await server.started.wait()
            trigger.triggerGracefulShutdown()
            try await group.value
        }
        await bridges.value
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").count == 1)
        #expect(logs.all.contains { $0.message == "ferry.delivery.delivered" && $0.metadata["item_id"] == "evt-1" })
        #expect(logs.all.contains { $0.message == "stopped" && $0.metadata["left_in_outbox"] == "0" })
    }
}

/// A stand-in for the host's HTTP server: runs until a graceful shutdown.
final class WaitsForShutdown: Service, Sendable {
    let started = AsyncGateBox()

    func run() async throws {
        await started.open()
        try? await gracefulShutdown()
    }
}

/// A one-shot gate: `wait()` returns once `open()` was called.
final class AsyncGateBox: Sendable {
    private let gate = AsyncGate()
    func wait() async { await gate.wait() }
    func open() async { await gate.open() }
}
