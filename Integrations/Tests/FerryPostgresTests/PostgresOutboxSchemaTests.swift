import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import PostgresNIO
import Testing

@Suite("PostgresOutbox: migration and errors", .enabled(if: TestDatabase.isAvailable, TestDatabase.skipped),
       .timeLimit(.minutes(2)))
struct PostgresOutboxSchemaTests {
    @Test("migrate creates the schema once; later and concurrent calls find it done")
    func migrateIsIdempotent() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClient { client in
            let outboxes = try (0..<3).map { _ in
                try PostgresOutbox(client: client, configuration: .init(table: table))
            }
            #expect(try await outboxes[0].installedSchemaVersion() == 0)
            let before = try await withThrowingTaskGroup(of: Int.self) { group in
                for outbox in outboxes { group.addTask { try await outbox.migrate() } }
                var found: [Int] = []
                for try await version in group { found.append(version) }
                return found.sorted()
            }
            #expect(before == [0, PostgresOutbox.schemaVersion, PostgresOutbox.schemaVersion])
            #expect(try await outboxes[1].migrate() == PostgresOutbox.schemaVersion)
            #expect(try await outboxes[2].installedSchemaVersion() == PostgresOutbox.schemaVersion)
            try await TestDatabase.drop(table, on: client)
        }
    }

    @Test("the documented migration SQL creates the same schema, and migrate() accepts it")
    func migrationSQLMatches() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClient { client in
            let sql = try PostgresOutbox.migrationSQL(table: table)
            #expect(sql.hasPrefix("BEGIN;\n") && sql.hasSuffix("\nCOMMIT;"))
            // The extended protocol runs one statement at a time: run the script's statements in order.
            try await client.withConnection { connection in
                for statement in sql.split(separator: ";\n").map({ String($0).replacingOccurrences(of: ";", with: "") })
                    where !["BEGIN", "COMMIT"].contains(statement)
                {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestDatabase.logger)
                }
            }
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: table))
            #expect(try await outbox.installedSchemaVersion() == PostgresOutbox.schemaVersion)
            #expect(try await outbox.migrate() == PostgresOutbox.schemaVersion)
            #expect(try await outbox.enqueue(makeItems(1)) == ["item-0"])
            try await TestDatabase.drop(table, on: client)
        }
    }

    @Test("a schema in its own PostgreSQL schema works and is named in errors")
    func customSchema() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClient { client in
            try await client.query("CREATE SCHEMA IF NOT EXISTS ferry_tests")
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: table, schema: "ferry_tests"))
            let error = try await #require(throws: PostgresOutboxError.self) { try await outbox.counts() }
            #expect(error.kind == .schemaMissing)
            #expect(error.table == "ferry_tests.\(table)")
            try await outbox.migrate()
            try await outbox.enqueue(makeItems(2))
            #expect(try await outbox.counts().pending == 2)
            try await client.query("DROP TABLE ferry_tests.\(unescaped: table), ferry_tests.\(unescaped: table)_schema")
        }
    }

    @Test("a database at a later schema version is refused with the remedy")
    func schemaTooNew() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            try await client.query("INSERT INTO \(unescaped: outbox.configuration.table)_schema (version) VALUES (99)")
            let error = try await #require(throws: PostgresOutboxError.self) { try await outbox.migrate() }
            #expect(error.kind == .schemaTooNew)
            #expect(error.description.contains("upgrade FerryPostgres"))
            #expect(error.description.contains("version 99"))
        }
    }

    @Test("a statement the server rejects is a statementFailed error with the server's SQLSTATE and message")
    func statementFailed() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            // A host that changed the table by hand: the column the outbox writes is gone.
            try await client.query("ALTER TABLE \(unescaped: outbox.configuration.table) DROP COLUMN route")
            let error = try await #require(throws: PostgresOutboxError.self) { try await outbox.enqueue(makeItems(1)) }
            #expect(error.kind == .statementFailed)
            #expect(error.sqlState == "42703")
            #expect(error.description.contains("route"))
            #expect(error.description.contains("created by this package's migration"))
        }
    }

    @Test("a row whose payload this SDK cannot parse becomes a dead letter instead of blocking the queue")
    func unreadableRowIsDeadLettered() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            try await outbox.enqueue(makeItems(2))
            // PostgreSQL's json type accepts an unpaired surrogate escape; JSONValue's strict parser does not.
            try await client.query(#"UPDATE \#(unescaped: outbox.configuration.table) SET payload = '{"a":"\ud800"}' WHERE id = 'item-0'"#)
            let leased = try await outbox.lease(limit: 5, at: epoch, for: .seconds(60))
            #expect(leased.map(\.id) == ["item-1"])
            let letters = try await outbox.deadLetters(limit: 5)
            #expect(letters.map(\.item.id) == ["item-0"])
            #expect(letters.first?.failure.errorCode == .outboxUnreadable)
            #expect(letters.first?.item.payload == RawJSON(.string(#"{"a":"\ud800"}"#)))
        }
    }

    @Test("every operation on a table that was never migrated says to run migrate()")
    func schemaMissing() async throws {
        try await TestDatabase.withClient { client in
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: TestDatabase.uniqueTable()))
            let item = DeliveryItem(id: "x", payload: [:])
            let failure = DeliveryFailure(status: nil, errorCode: "X", message: "x", retryability: .final)
            let operations: [(String, @Sendable () async throws -> Void)] = [
                ("enqueue", { try await outbox.enqueue([item]) }),
                ("lease", { _ = try await outbox.lease(limit: 1, at: epoch, for: .seconds(1)) }),
                ("acknowledge", { try await outbox.acknowledge(["x"]) }),
                ("reschedule", { try await outbox.reschedule(item, availableAt: epoch) }),
                ("deadLetter", { try await outbox.deadLetter(item, failure: failure) }),
                ("deadLetters", { _ = try await outbox.deadLetters(limit: 1) }),
                ("replayDeadLetters", { _ = try await outbox.replayDeadLetters(nil) }),
                ("counts", { _ = try await outbox.counts() }),
                ("nextAvailableDate", { _ = try await outbox.nextAvailableDate() }),
                ("forgetDelivered", { _ = try await outbox.forgetDelivered(olderThan: .seconds(1)) }),
            ]
            for (operation, run) in operations {
                let error = try await #require(throws: PostgresOutboxError.self, "\(operation)") { try await run() }
                #expect(error.kind == .schemaMissing, "\(operation)")
                #expect(error.operation == operation)
                #expect(error.sqlState == "42P01")
                #expect(error.description.contains("run PostgresOutbox.migrate()"), "\(operation)")
            }
        }
    }

    @Test("table and schema names that are not plain identifiers are refused",
          arguments: ["", "1table", "a-b", "x; DROP TABLE y", "\"quoted\"", "é", String(repeating: "t", count: 64)])
    func invalidTableName(_ name: String) async throws {
        try await TestDatabase.withClient { client in
            let error = #expect(throws: PostgresOutboxError.self) {
                _ = try PostgresOutbox(client: client, configuration: .init(table: name))
            }
            #expect(error?.kind == .invalidTableName)
            #expect(error?.description.contains("not a plain SQL identifier") == true)
            #expect(throws: PostgresOutboxError.self) {
                _ = try PostgresOutbox(client: client, configuration: .init(table: "fine", schema: name))
            }
            #expect(throws: PostgresOutboxError.self) { _ = try PostgresOutbox.migrationSQL(table: name) }
        }
    }

    @Test("a table name leaves room for the index names PostgreSQL derives from it (63 bytes)")
    func tableNameLength() async throws {
        try await TestDatabase.withClient { client in
            _ = try PostgresOutbox(client: client, configuration: .init(table: String(repeating: "t", count: 53)))
            let error = #expect(throws: PostgresOutboxError.self) {
                _ = try PostgresOutbox(client: client, configuration: .init(table: String(repeating: "t", count: 54)))
            }
            #expect(error?.kind == .invalidTableName)
        }
    }

    // PostgresNIO's pool retries a connection it cannot make for 60 seconds before it fails the waiting queries,
    // so this test (and the next, which runs alongside) takes a minute.
    @Test("a wrong password makes the outbox unavailable, with a description that names the remedy and no password")
    func wrongPassword() async throws {
        let wrong = "wrong-\(UUID().uuidString)"
        try await TestDatabase.withClient(TestDatabase.configuration(password: wrong)) { client in
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: TestDatabase.uniqueTable()))
            let error = try await #require(throws: PostgresOutboxError.self) { try await outbox.migrate() }
            #expect(error.kind == .unavailable)
            #expect(error.operation == "migrate")
            #expect(error.description.contains("the user name and password"))
            #expect(!error.description.contains(wrong))
            #expect(!error.description.contains(TestDatabase.password))
            #expect(!String(reflecting: error).contains(wrong))
        }
    }

    @Test("a server that cannot be reached is reported as unavailable")
    func unreachable() async throws {
        // Port 1 on loopback: nothing listens there.
        var configuration = TestDatabase.configuration(port: 1)
        configuration.options.connectTimeout = .seconds(2)
        try await TestDatabase.withClient(configuration) { client in
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: TestDatabase.uniqueTable()))
            let error = try await #require(throws: PostgresOutboxError.self) { try await outbox.counts() }
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("check that PostgreSQL runs, the host and port"))
            #expect(!error.description.contains(TestDatabase.password))
        }
    }
}
