import CoreMetrics
import Ferry
import FerryLogging
import FerryMetrics
import FerryServiceLifecycle
import FerryTracing
import Foundation
import Logging
import ServiceLifecycle
import Tracing

// The `// FerryServerSide` samples of the bridges' DocC landing pages (Integrations/Sources/<Module>/<Module>.docc),
// compiled here: ServerSideDocumentationTests checks that every such sample appears in this file line for line,
// and runs these functions against a simulated org.
enum CatalogSnippets {
    static func exporter(myDomain: String, clientID: String, secret: String, transport: any HTTPTransport) throws
        -> SalesforceExporter
    {
        try SalesforceExporter(
            org: .myDomain(myDomain),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ userId }}", "npsScore": {{ score | default: 0 }}}"#),
            transport: transport)
    }

    /// FerryLogging.md: a pipeline's events in the host's log.
    static func logging(exporter: SalesforceExporter, logger: Logger) async throws {
        // FerryServerSide
        let deliveryLogger = DeliveryLogger(logger: logger, destination: "NPS")
        let logging = Task { await deliveryLogger.run(exporter.events()) }
        try await exporter.send(["userId": "u-1", "score": 9], id: "evt-1")
        _ = await exporter.shutdown(within: .seconds(10))   // the event stream ends with the pipeline
        await logging.value
    }

    /// FerryMetrics.md: events and requests as metrics, in the backend the host bootstrapped (or `factory`).
    static func metrics(
        myDomain: String, clientID: String, secret: String, transport: any HTTPTransport, factory: any MetricsFactory
    ) async throws {
        // FerryServerSide
        let metrics = DeliveryMetrics(destination: "NPS", factory: factory)
        let exporter = try SalesforceExporter(
            org: .myDomain(myDomain),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ userId }}", "npsScore": {{ score | default: 0 }}}"#),
            transport: metrics.transport(wrapping: transport))   // ferry_requests_in_flight, request durations
        let recording = Task { await metrics.run(exporter.events()) }
        try await exporter.send(["userId": "u-1", "score": 9], id: "evt-1")
        metrics.record(try await exporter.pipeline.outboxCounts())   // or monitorOutbox(of:every:clock:)
        _ = await exporter.shutdown(within: .seconds(10))
        await recording.value
    }

    /// FerryTracing.md: a span per attempt, linked to the span that accepted the item.
    static func tracing(
        myDomain: String, clientID: String, secret: String, transport: any HTTPTransport, tracer: any Tracer
    ) async throws {
        // FerryServerSide
        let tracing = DeliveryTracing(tracer: tracer)
        let exporter = try SalesforceExporter(
            org: .myDomain(myDomain),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ userId }}", "npsScore": {{ score | default: 0 }}}"#),
            transport: tracing.transport(wrapping: transport))
        let forgetting = Task { await tracing.run(exporter.events()) }
        try await tracer.withSpan("POST /events", ofKind: .server) { _ in
            tracing.accepted(itemID: "evt-1")
            try await exporter.send(["userId": "u-1", "score": 9], id: "evt-1")
        }
        _ = await exporter.shutdown(within: .seconds(10))
        await forgetting.value
    }

    /// FerryServiceLifecycle.md: the pipeline in the host's service group, drained on SIGTERM.
    static func service(exporter: SalesforceExporter, server: some Service, logger: Logger) async throws {
        // FerryServerSide
        let delivery = DeliveryService(pipeline: exporter.pipeline, drainDeadline: .seconds(20), logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: delivery), .init(service: server)],   // the server stops first
            gracefulShutdownSignals: [.sigterm], logger: logger))
        try await group.run()
    }
}
