import Ferry
import FerryTesting
import FerryTracing
import Foundation
import InMemoryTracing
import MetricsTestKit
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

    /// Whether `lines` appear in `snippets` one after another.
    static func contains(_ snippets: [String], _ lines: [String]) -> Bool {
        (0...max(0, snippets.count - lines.count)).contains {
            $0 + lines.count <= snippets.count && Array(snippets[$0..<$0 + lines.count]) == lines
        }
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
            let found = Self.contains(snippets, Self.normalise(sample))
            #expect(found, "not found in ServerSideSnippets.swift:\n\(sample)")
        }
    }

    /// The bridges' DocC landing pages: every Swift sample is marked `// FerryServerSide` and compiled in
    /// CatalogSnippets.swift.
    static let catalogs = ["FerryLogging", "FerryMetrics", "FerryTracing", "FerryServiceLifecycle"]

    @Test("each bridge's DocC landing page has a sample, compiled line for line in CatalogSnippets.swift",
          arguments: catalogs)
    func catalogSamplesCompile(module: String) throws {
        let page = "Integrations/Sources/\(module)/\(module).docc/\(module).md"
        let text = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(page), encoding: .utf8)
        let samples = text.components(separatedBy: "```swift\n").dropFirst().compactMap { part in
            part.range(of: "```").map { String(part[..<$0.lowerBound]) }
        }
        #expect(!samples.isEmpty, "\(page) shows no example")
        let snippets = Self.normalise(try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("CatalogSnippets.swift"), encoding: .utf8))
        for sample in samples {
            #expect(sample.hasPrefix("// FerryServerSide\n"), "\(page): a sample without the `// FerryServerSide` marker")
            let found = Self.contains(snippets, Self.normalise(sample))
            #expect(found, "\(page): not found in CatalogSnippets.swift:\n\(sample)")
        }
    }

    @Test("the landing pages' samples deliver to an org: logged, measured, traced, drained by the service group")
    func catalogSamplesRun() async throws {
        let org = SimulatedSalesforceOrg()
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let client = SimulatedClient.example
        let domain = org.org.baseURL.absoluteString
        func exporter() throws -> SalesforceExporter {
            try CatalogSnippets.exporter(myDomain: domain, clientID: client.id, secret: client.secret.reveal(), transport: org)
        }
        let (logger, logs) = CapturingLogHandler.logger()
        try await CatalogSnippets.logging(exporter: try exporter(), logger: logger)
        #expect(logs.all.contains { $0.message == "ferry.delivery.delivered" && $0.metadata["item_id"] == "evt-1" })

        let factory = TestMetrics()
        try await CatalogSnippets.metrics(
            myDomain: domain, clientID: client.id, secret: client.secret.reveal(), transport: org, factory: factory)
        let delivered = try factory.expectCounter(
            "ferry_deliveries_total", [("destination", "NPS"), ("outcome", "delivered")])
        #expect(delivered.totalValue == 1)
        #expect(try factory.expectMeter("ferry_requests_in_flight", [("destination", "NPS")]).lastValue == 0)

        let tracer = InMemoryTracer()
        try await CatalogSnippets.tracing(
            myDomain: domain, clientID: client.id, secret: client.secret.reveal(), transport: org, tracer: tracer)
        let spans = tracer.finishedSpans
        let accepting = try #require(spans.first { $0.operationName == "POST /events" })
        let attempt = try #require(spans.first { $0.operationName == "ferry.delivery.attempt" })
        #expect(attempt.links.map(\.context.inMemorySpanContext?.spanID) == [accepting.context.inMemorySpanContext?.spanID])

        let served = try exporter()
        try await served.send(["userId": "u-2", "score": 7], id: "evt-2")
        try await testGracefulShutdown { trigger in
            let server = WaitsForShutdown()
            let group = Task { try await CatalogSnippets.service(exporter: served, server: server, logger: logger) }
            await server.started.wait()
            trigger.triggerGracefulShutdown()
            try await group.value
        }
        #expect(logs.all.contains { $0.message == "ferry.service.stopped" && $0.metadata["undelivered"] == "0" })
        // The service drained evt-2 (accepted before the group ran) before it stopped.
        let users = org.records(of: "CleverTap__CleverTap_NPS__c").compactMap { $0["CleverTap__userId__c"]?.stringValue }
        #expect(users.contains("u-2"))
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
