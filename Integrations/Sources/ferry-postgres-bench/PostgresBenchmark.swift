import Ferry
import FerryPostgres
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Measures a PostgresOutbox against a real server: enqueue throughput inside host transactions, and items
/// delivered per second by three DeliveryPipelines (three "instances", each with its own connection pool) through
/// an in-process destination that answers at once, so the outbox is what is measured.
///
///     FERRY_POSTGRES_URL=postgres://user:password@127.0.0.1:5432/db \
///         swift run -c release ferry-postgres-bench [--items 30000] [--concurrency 8] [--writers 8]
@main
struct PostgresBenchmark {
    static func main() async throws {
        let arguments = Arguments(CommandLine.arguments.dropFirst())
        guard let url = ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"],
            let components = URLComponents(string: url), let host = components.host
        else {
            print("FERRY_POSTGRES_URL is not set: start a server with `.ci/integrations serve` and export the URL it prints")
            return
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: String(components.path.dropFirst()), tls: .disable)
        configuration.options.maximumConnections = max(arguments.concurrency, arguments.writers) + 2
        let logger = Logger(label: "ferry.postgres.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let clients = (0..<4).map { _ in PostgresClient(configuration: configuration, backgroundLogger: logger) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            try await run(arguments, clients: clients, logger: logger)
            group.cancelAll()
        }
    }

    struct Arguments {
        var items = 30_000
        var concurrency = 8
        var writers = 8

        init(_ arguments: ArraySlice<String>) {
            var iterator = arguments.makeIterator()
            while let name = iterator.next() {
                let value = iterator.next().flatMap(Int.init) ?? 0
                switch name {
                case "--items": items = max(1, value)
                case "--concurrency": concurrency = max(1, value)
                case "--writers": writers = max(1, value)
                default: print("ignored argument \(name)")
                }
            }
        }
    }

    /// An in-process destination that delivers at once and counts.
    struct InstantDestination: Destination {
        let delivered: Counter
        var maximumBatchSize: Int { 1 }

        func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
            delivered.add(batch.count)
            return batch.map { _ in .delivered(DeliveryReceipt(status: 201)) }
        }
    }

    final class Counter: Sendable {
        private let value = Mutex(0)
        func add(_ count: Int) { value.withLock { $0 += count } }
        var count: Int { value.withLock { $0 } }
    }

    struct UnusedTransport: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            throw TransportError(.other, url: request.url.absoluteString, detail: "not used by the benchmark")
        }
    }

    static func run(_ arguments: Arguments, clients: [PostgresClient], logger: Logger) async throws {
        let table = "ferry_bench_\(UInt32.random(in: 0...UInt32.max))"
        let hostTable = table + "_host"
        let hostClient = clients[3]
        let host = try PostgresOutbox(client: hostClient, configuration: .init(table: table))
        try await host.migrate()
        try await hostClient.query("CREATE TABLE \(unescaped: hostTable) (id text PRIMARY KEY, score integer)")
        print("ferry-postgres-bench: items \(arguments.items), pipelines 3 x concurrency \(arguments.concurrency), host writers \(arguments.writers)")

        // Enqueue inside host transactions: each writes a host row and its export item, atomically.
        for perTransaction in [1, 100] {
            let count = perTransaction == 1 ? min(arguments.items, 5_000) : arguments.items
            let prefix = "e\(perTransaction)"
            let seconds = try await timed {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<arguments.writers {
                        group.addTask {
                            var index = writer * perTransaction
                            while index < count {
                                let ids = (index..<min(index + perTransaction, count)).map { "\(prefix)-\($0)" }
                                try await hostClient.withTransaction(logger: logger) { connection in
                                    for id in ids {
                                        try await connection.query(
                                            "INSERT INTO \(unescaped: hostTable) (id, score) VALUES (\(id), 9)", logger: logger)
                                    }
                                    let items = ids.map { DeliveryItem(id: $0, payload: ["surveyId": .string($0), "npsScore": 9]) }
                                    try await host.enqueue(items, on: connection)
                                }
                                index += arguments.writers * perTransaction
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            print(String(format: "enqueue in host transactions (%d item(s) + %d host row(s) each, %d writers): %d items in %.2f s = %.0f items/s",
                         perTransaction, perTransaction, arguments.writers, count, seconds, Double(count) / seconds))
            if perTransaction == 1 {
                try await hostClient.query("DELETE FROM \(unescaped: table)")
            }
        }

        // Deliver what the host enqueued through three instances.
        let outstanding = try await host.counts().outstanding
        let delivered = Counter()
        let pipelines = try (0..<3).map { instance in
            DeliveryPipeline(
                destination: InstantDestination(delivered: delivered), transport: UnusedTransport(),
                outbox: try PostgresOutbox(client: clients[instance], configuration: .init(table: table)),
                configuration: .init(
                    concurrency: try PositiveCount(arguments.concurrency, for: "--concurrency"),
                    idlePollInterval: .milliseconds(50)))
        }
        let seconds = try await timed {
            for pipeline in pipelines { try pipeline.start() }
            while delivered.count < outstanding { try await Task.sleep(for: .milliseconds(5)) }
        }
        for pipeline in pipelines { _ = await pipeline.shutdown(within: .seconds(30)) }
        let left = try await host.counts()
        print(String(format: "delivered through 3 instances (one request and one acknowledgement per item): %d items in %.2f s = %.0f items/s (left: %d pending, %d leased)",
                     delivered.count, seconds, Double(delivered.count) / seconds, left.pending, left.leased))
        try await hostClient.query("DROP TABLE IF EXISTS \(unescaped: table), \(unescaped: table)_schema, \(unescaped: hostTable)")
    }

    static func timed(_ body: () async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
