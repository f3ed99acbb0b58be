import Ferry
import FerryLogging
import FerryMetrics
import FerryServiceLifecycle
import FerryTracing
import Foundation
import Logging
import ServiceLifecycle
import Tracing

// The `// FerryServerSide` samples of Documentation/ServerSide.md, compiled here (ServerSideDocumentationTests
// checks that every such sample appears in this file line for line, and runs them against a simulated org).
enum ServerSideSnippets {
    /// ServerSide.md: the three bridges on one pipeline.
    static func bridges(pipeline: DeliveryPipeline, logger: Logger) -> Task<Void, Never> {
        // FerryServerSide
        let deliveryLogger = DeliveryLogger(logger: logger, destination: "NPS")
        let metrics = DeliveryMetrics(destination: "NPS")
        let tracing = DeliveryTracing()
        let events = (pipeline.events(), pipeline.events(), pipeline.events())
        return Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await deliveryLogger.run(events.0) }
                group.addTask { await metrics.run(events.1) }
                group.addTask { await tracing.run(events.2) }
            }
        }
    }

    /// ServerSide.md: the transports that measure and trace each request, and the token provider's events.
    static func exporter(
        myDomain: String, clientID: String, secret: String, transport: any HTTPTransport, logger: Logger
    ) throws -> SalesforceExporter {
        // FerryServerSide
        let metrics = DeliveryMetrics(destination: "NPS")
        let tracing = DeliveryTracing()
        let exporter = try SalesforceExporter(
            org: .myDomain(myDomain),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ userId }}", "npsScore": {{ score | default: 0 }}}"#),
            transport: tracing.transport(wrapping: metrics.transport(wrapping: transport)))
        return exporter
    }

    /// ServerSide.md: linking an attempt's span to the request that accepted the item.
    static func accept(_ exporter: SalesforceExporter, tracing: DeliveryTracing, eventID: String) async throws {
        // FerryServerSide
        try await withSpan("POST /events", ofKind: .server) { _ in
            tracing.accepted(itemID: eventID)
            try await exporter.send(["userId": "u-1", "score": 9], id: eventID)
        }
    }

    /// ServerSide.md: the pipeline in the host's ServiceGroup.
    static func service(exporter: SalesforceExporter, server: some Service, logger: Logger) async throws {
        // FerryServerSide
        let delivery = DeliveryService(
            pipeline: exporter.pipeline, drainDeadline: .seconds(20), logger: logger,
            onShutdown: { result in
                logger.info("stopped", metadata: ["left_in_outbox": "\(result.remaining?.outstanding ?? 0)"])
            })
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: delivery), .init(service: server)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
