import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The PostgreSQL server that `.ci/integrations` starts, named by `FERRY_POSTGRES_URL`
/// (`postgres://user:password@127.0.0.1:port/database`). Without it the suites are skipped, and say why.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["FERRY_POSTGRES_URL"]
    static let isAvailable = url.flatMap(URLComponents.init(string:)) != nil
    static let skipped: Comment = "FERRY_POSTGRES_URL is not set; run .ci/integrations, which starts a PostgreSQL server and runs these tests against it"

    /// The client configuration for the server, optionally with another password or port.
    static func configuration(password: String? = nil, port: Int? = nil) -> PostgresClient.Configuration {
        let components = url.flatMap(URLComponents.init(string:)) ?? URLComponents()
        var configuration = PostgresClient.Configuration(
            host: components.host ?? "127.0.0.1", port: port ?? components.port ?? 5432,
            username: components.user ?? "ferry", password: password ?? components.password,
            database: String(components.path.dropFirst()).nilIfEmpty ?? "postgres", tls: .disable)
        configuration.options.maximumConnections = 8
        return configuration
    }

    static let password: String = url.flatMap(URLComponents.init(string:))?.password ?? ""

    static let logger = Logger(label: "ferry.postgres.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a running client, then shuts the client down.
    static func withClient<Result: Sendable>(
        _ configuration: PostgresClient.Configuration = configuration(),
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(client)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs `body` with `count` running clients (separate pools: as separate instances would have).
    static func withClients<Result: Sendable>(
        _ count: Int, maximumConnections: Int = 8, _ body: ([PostgresClient]) async throws -> Result
    ) async throws -> Result {
        var configuration = configuration()
        configuration.options.maximumConnections = maximumConnections
        let clients = (0..<count).map { _ in PostgresClient(configuration: configuration, backgroundLogger: logger) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients { group.addTask { await client.run() } }
            do {
                let result = try await body(clients)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// A table name no other test uses.
    static func uniqueTable() -> String {
        "ferry_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// Runs `body` with a migrated outbox in a table of its own, and drops the tables afterwards.
    static func withOutbox<Result: Sendable>(
        timeSource: PostgresOutbox.TimeSource = .caller,
        clock: any FerryClock = ManualClock(),
        remembersDelivered: Bool = false,
        _ body: (PostgresOutbox, PostgresClient) async throws -> Result
    ) async throws -> Result {
        let table = uniqueTable()
        return try await withClient { client in
            let outbox = try PostgresOutbox(
                client: client,
                configuration: .init(table: table, timeSource: timeSource, remembersDelivered: remembersDelivered),
                clock: clock)
            try await outbox.migrate()
            do {
                let result = try await body(outbox, client)
                try await drop(table, on: client)
                return result
            } catch {
                try? await drop(table, on: client)
                throw error
            }
        }
    }

    static func drop(_ table: String, on client: PostgresClient) async throws {
        try await client.query("DROP TABLE IF EXISTS \(unescaped: "\"\(table)\""), \(unescaped: "\"\(table)_schema\"")")
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Items with ids `prefix-0` ... `prefix-(count-1)`.
func makeItems(_ count: Int, prefix: String = "item") -> [DeliveryItem] {
    (0..<count).map { DeliveryItem(id: "\(prefix)-\($0)", payload: ["n": .int($0)], sequence: $0) }
}

/// A fixed point in time with whole seconds, which `timestamptz` stores exactly.
let epoch = Date(timeIntervalSince1970: 1_800_000_000)
