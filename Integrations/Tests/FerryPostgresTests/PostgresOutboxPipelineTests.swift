import Ferry
import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import PostgresNIO
import Testing

/// Host transactions and whole `DeliveryPipeline`s on a shared table.
@Suite("PostgresOutbox: host transactions and pipelines", .enabled(if: TestDatabase.isAvailable, TestDatabase.skipped),
       .timeLimit(.minutes(5)))
struct PostgresOutboxPipelineTests {
    struct HostFailure: Error {}

    @Test("items enqueued in a host transaction that rolls back leave nothing, like the host's own row")
    func rollbackLeavesNothing() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            let host = outbox.configuration.table + "_host"
            try await client.query("CREATE TABLE \(unescaped: host) (id integer PRIMARY KEY)")
            await #expect(throws: (any Error).self) {
                try await client.withTransaction(logger: TestDatabase.logger) { connection in
                    try await connection.query("INSERT INTO \(unescaped: host) (id) VALUES (1)", logger: TestDatabase.logger)
                    let added = try await outbox.enqueue(makeItems(3), on: connection)
                    #expect(added.count == 3)
                    throw HostFailure()
                }
            }
            #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
            let hostRows = try await client.query("SELECT count(*) FROM \(unescaped: host)").decode(Int.self)
            for try await count in hostRows { #expect(count == 0) }
            try await client.query("DROP TABLE \(unescaped: host)")
        }
    }

    @Test("items enqueued in a host transaction are invisible to other instances until it commits")
    func commitPublishes() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            try await TestDatabase.withClient { otherClient in
                let other = try PostgresOutbox(client: otherClient, configuration: outbox.configuration)
                try await client.withTransaction(logger: TestDatabase.logger) { connection in
                    try await outbox.enqueue(makeItems(2), on: connection)
                    #expect(try await other.lease(limit: 10, at: epoch, for: .seconds(60)) == [])
                    #expect(try await other.counts().pending == 0)
                }
                #expect(try await other.lease(limit: 10, at: epoch, for: .seconds(60)).map(\.id) == ["item-0", "item-1"])
            }
        }
    }

    @Test("enqueue on a host connection reports the outbox's own errors")
    func enqueueOnConnectionError() async throws {
        try await TestDatabase.withClient { client in
            let outbox = try PostgresOutbox(client: client, configuration: .init(table: TestDatabase.uniqueTable()))
            let error = try await client.withConnection { connection in
                #expect(try await outbox.enqueue([], on: connection) == [])
                return try await #require(throws: PostgresOutboxError.self) {
                    try await outbox.enqueue(makeItems(1), on: connection)
                }
            }
            #expect(error.kind == .schemaMissing)
            #expect(error.operation == "enqueue")
        }
    }

    @Test("three instances, each with its own connections, deliver 10,000 items enqueued by host transactions exactly once")
    func threeInstancesExactlyOnce() async throws {
        let table = TestDatabase.uniqueTable()
        let ledger = DeliveryLedger()
        let total = 10_000
        try await TestDatabase.withClients(4) { clients in
            let host = try PostgresOutbox(client: clients[3], configuration: .init(table: table))
            try await host.migrate()
            let pipelines = try (0..<3).map { instance in
                let outbox = try PostgresOutbox(client: clients[instance], configuration: .init(table: table))
                return DeliveryPipeline(
                    destination: LedgerDestination(ledger: ledger, instance: instance), transport: UnusedTransport(),
                    outbox: outbox,
                    configuration: .init(concurrency: 4, idlePollInterval: .milliseconds(20)))
            }
            for pipeline in pipelines { try pipeline.start() }
            // The host writes 100 items per transaction while the instances deliver.
            for batch in 0..<(total / 100) {
                try await clients[3].withTransaction(logger: TestDatabase.logger) { connection in
                    let items = (0..<100).map { index in
                        DeliveryItem(id: "n-\(batch * 100 + index)", payload: ["n": .int(batch * 100 + index)])
                    }
                    try await host.enqueue(items, on: connection)
                }
            }
            let drained = try await waitUntil(timeout: .seconds(180)) {
                guard ledger.total >= total else { return false }
                return try await host.counts().outstanding == 0
            }
            #expect(drained)
            var reports: [DeliveryReport] = []
            for pipeline in pipelines { reports.append(await pipeline.shutdown(within: .seconds(10)).report) }

            let perID = ledger.perID
            #expect(perID.count == total)
            #expect(perID.values.allSatisfy { $0 == 1 }, "some items were delivered more than once")
            #expect(Set(perID.keys) == Set((0..<total).map { "n-\($0)" }))
            #expect(reports.map(\.delivered).reduce(0, +) == total)
            for instance in 0..<3 { #expect(ledger.perInstance[instance, default: 0] > 0, "instance \(instance) idle") }
            #expect(try await host.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
            try await TestDatabase.drop(table, on: clients[3])
        }
    }

    @Test("a pipeline that hangs past its lease cannot take back the items another instance now holds")
    func hungInstance() async throws {
        let table = TestDatabase.uniqueTable()
        let ledger = DeliveryLedger()
        let gateA = Gate()
        let gateB = Gate()
        try await TestDatabase.withClients(2) { clients in
            let outboxA = try PostgresOutbox(client: clients[0], configuration: .init(table: table))
            let outboxB = try PostgresOutbox(client: clients[1], configuration: .init(table: table))
            try await outboxA.migrate()
            try await outboxA.enqueue(makeItems(5))
            var hanging = DeliveryPipeline.Configuration(concurrency: 1)
            hanging.leaseDuration = .milliseconds(500)
            // A froze: its request hangs and its lease renewals do not reach the database either (a live instance's
            // heartbeat keeps a slow request's lease; a frozen process renews nothing).
            let a = DeliveryPipeline(destination: HangingDestination(gate: gateA), transport: UnusedTransport(),
                                     outbox: FrozenInstanceOutbox(base: outboxA, gate: gateA), configuration: hanging)
            try a.start()
            // A leased all five and hangs in its first request.
            #expect(try await waitUntil(timeout: .seconds(30)) { gateA.arrivals == 1 })
            #expect(try await outboxB.counts() == OutboxCounts(pending: 0, leased: 5, dead: 0))

            // After A's lease expired, B leases the items and is delivering them (held at its own gate).
            let b = DeliveryPipeline(
                destination: LedgerDestination(ledger: ledger, instance: 1, gate: gateB), transport: UnusedTransport(),
                outbox: outboxB, configuration: .init(concurrency: 1, idlePollInterval: .milliseconds(20)))
            try b.start()
            #expect(try await waitUntil(timeout: .seconds(30)) { gateB.arrivals == 1 })

            // A wakes up: its requests fail and it reschedules (or hands back) items B now holds. Nothing changes.
            gateA.open()
            _ = await a.shutdown(within: .seconds(3))
            #expect(gateA.arrivals >= 1)
            #expect(try await outboxB.counts() == OutboxCounts(pending: 0, leased: 5, dead: 0))

            // B finishes; every item was delivered once, by B, and the table is empty.
            gateB.open()
            let resultB = await b.shutdown(within: .seconds(20))
            #expect(resultB.report.delivered == 5)
            #expect(ledger.perID == Dictionary(uniqueKeysWithValues: makeItems(5).map { ($0.id, 1) }))
            #expect(try await outboxB.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
            try await TestDatabase.drop(table, on: clients[0])
        }
    }

    @Test("a DeliveryPipeline drains through PostgresOutbox: retries are stored, final failures become dead letters, replay delivers them")
    func pipelineDrains() async throws {
        let ledger = DeliveryLedger()
        try await TestDatabase.withOutbox(timeSource: .database, clock: SystemClock()) { outbox, _ in
            var configuration = DeliveryPipeline.Configuration(
                concurrency: 4, retryPolicy: ExponentialBackoff(base: .milliseconds(20), cap: .milliseconds(50)),
                idlePollInterval: .milliseconds(20))
            configuration.leaseDuration = .seconds(60)
            let pipeline = DeliveryPipeline(
                destination: LedgerDestination(ledger: ledger, instance: 0), transport: UnusedTransport(),
                outbox: outbox, configuration: configuration)
            let items = (0..<300).map { index -> DeliveryItem in
                let fail: JSONValue = index % 50 == 7 ? "final" : index % 10 == 3 ? "flaky" : .null
                return DeliveryItem(id: "p-\(index)", payload: ["n": .int(index), "fail": fail], sequence: index)
            }
            try await pipeline.send(contentsOf: items)
            let result = await pipeline.shutdown(within: .seconds(60))
            #expect(result.report.delivered == 294)
            #expect(result.report.failed == 6)
            #expect(result.remaining == OutboxCounts(pending: 0, leased: 0, dead: 6))
            #expect(ledger.total == 294)
            #expect(ledger.perID.values.allSatisfy { $0 == 1 })
            let letters = try await outbox.deadLetters(limit: 10)
            #expect(Set(letters.map(\.item.id)) == Set(stride(from: 7, to: 300, by: 50).map { "p-\($0)" }))
            #expect(letters.allSatisfy { $0.failure.errorCode == "REQUIRED_FIELD_MISSING" && $0.item.attempts == 1 })

            // The cause is fixed (here: the payload no longer fails) and the dead letters are replayed.
            try await outbox.client.query("UPDATE \(unescaped: outbox.configuration.table) SET payload = '{}' WHERE state = 2")
            #expect(try await outbox.replayDeadLetters(nil) == 6)
            let second = DeliveryPipeline(
                destination: LedgerDestination(ledger: ledger, instance: 1), transport: UnusedTransport(),
                outbox: outbox, configuration: configuration)
            try second.start()
            let replayed = await second.shutdown(within: .seconds(60))
            #expect(replayed.report.delivered == 6)
            #expect(replayed.remaining == OutboxCounts(pending: 0, leased: 0, dead: 0))
        }
    }
}
