import Ferry
import FerryAsyncHTTPClient
import FerryLogging
import FerryMetrics
import FerryPostgres
import FerryServiceLifecycle
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore
import NIOSSL
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// Receives engagement events as JSON webhooks and exports them to Salesforce; see README.md.
///
/// The order of the services matters: Hummingbird runs its own services before the HTTP server and shuts them
/// down after it, so on SIGTERM the server stops taking events first, then `DeliveryService` drains the outbox
/// for up to FERRY_DRAIN_SECONDS, and whatever is left waits in the durable outbox for the next start.
@main
struct EventsServer {
    static func main() async {
        var logger = Logger(label: "events-server")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        do {
            try await run(try ServerConfiguration(), logger: logger)
        } catch let problem as ServerConfiguration.Problem {
            logger.critical("configuration error: \(problem.description)")
            exit(2)
        } catch {
            logger.critical("the server stopped: \(error)")
            exit(1)
        }
    }

    static func run(_ configuration: ServerConfiguration, logger: Logger) async throws {
        // Prometheus is this host's metrics backend; Ferry's bridge publishes into whatever is bootstrapped.
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let deliveryLogger = DeliveryLogger(logger: logger, destination: configuration.object)
        let metrics = DeliveryMetrics(destination: configuration.object)

        let outbox: any Outbox
        var closeOutbox: @Sendable () async -> Void = {}
        var postgresTask: Task<Void, Never>?
        switch configuration.outbox {
        case .directory(let directory):
            let file = try FileOutbox(directory: directory)
            outbox = file
            closeOutbox = { try? await file.close() }
            logger.info("outbox", metadata: [
                "directory": "\(directory.path)", "recovered": "\(file.recoveryReport)",
            ])
        case .postgres(let url):
            let client = PostgresClient(configuration: try postgresConfiguration(url), backgroundLogger: logger)
            // The client runs until the server and the drain are done (cancelled at the very end, below); the
            // table is created or upgraded before the server takes its first event.
            postgresTask = Task { await client.run() }
            let postgres = try PostgresOutbox(client: client)
            let applied = try await postgres.migrate()
            logger.info("outbox", metadata: ["postgres": "\(url.host ?? "")", "migrations_applied": "\(applied)"])
            outbox = postgres
        }

        // One connection per request in flight: the pool is sized to the pipeline's concurrency.
        let transport = AsyncHTTPClientTransport(
            configuration: .init(maximumConnectionsPerHost: configuration.concurrency))
        let exporter = try SalesforceExporter(
            org: .myDomain(configuration.myDomain),
            credentials: .clientCredentials(id: configuration.clientID, secret: configuration.clientSecret),
            destination: .sObject(configuration.object, upsertOn: configuration.externalIDField),
            payload: .json(configuration.template),
            transport: metrics.transport(wrapping: transport),
            outbox: outbox,
            configuration: DeliveryPipeline.Configuration(
                concurrency: try PositiveCount(configuration.concurrency, for: "FERRY_CONCURRENCY")))

        // The bridges read the pipeline's events until it shuts down; the outbox gauge is read every 5 s.
        let events = exporter.events()
        let bridgeEvents = exporter.events()
        let bridges = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await deliveryLogger.run(events) }
                group.addTask { await metrics.run(bridgeEvents) }
            }
        }
        let monitor = Task { await metrics.monitorOutbox(of: exporter.pipeline, every: .seconds(5)) }

        let close = closeOutbox
        let service = DeliveryService(
            pipeline: exporter.pipeline, drainDeadline: configuration.drainDeadline, logger: logger,
            onShutdown: { _ in
                monitor.cancel()
                await close()
                try? await transport.shutdown()
            })

        let router = Router()
        EventsController(exporter: exporter, webhookSecret: configuration.webhookSecret, registry: registry)
            .register(on: router)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
            services: [service],
            onServerRunning: { channel in
                logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            },
            logger: logger)
        try await app.runService()
        await bridges.value
        postgresTask?.cancel()
    }

    /// `postgres://user:password@host:5432/database`: TLS is not used on loopback, required elsewhere.
    static func postgresConfiguration(_ url: URL) throws -> PostgresClient.Configuration {
        guard let host = url.host, let user = url.user else {
            throw ServerConfiguration.Problem(description: "FERRY_POSTGRES_URL needs a user and a host")
        }
        let database = url.path.isEmpty ? nil : String(url.path.dropFirst())
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: user, password: url.password, database: database,
            tls: loopback ? .disable : .require(.makeClientConfiguration()))
    }
}
