import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import PostgresNIO
import Testing

/// Several instances on one table: leases with owners, dead instances, the database's clock.
@Suite("PostgresOutbox: several instances", .enabled(if: TestDatabase.isAvailable, TestDatabase.skipped),
       .timeLimit(.minutes(2)))
struct PostgresOutboxInstanceTests {
    @Test("a dead instance's items come back after its lease, and its late acknowledge, reschedule and dead letter change nothing")
    func deadInstanceCannotClobber() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClient { clientA in
            try await TestDatabase.withClient { clientB in
                let configuration = PostgresOutbox.Configuration(table: table, timeSource: .caller)
                let a = try PostgresOutbox(client: clientA, configuration: configuration)
                let b = try PostgresOutbox(client: clientB, configuration: configuration)
                #expect(a.instanceID != b.instanceID)
                try await a.migrate()
                try await a.enqueue(makeItems(4))
                // A leases two items, then "dies" (stops answering) holding them.
                let held = try await a.lease(limit: 2, at: epoch, for: .seconds(30))
                #expect(held.map(\.id) == ["item-0", "item-1"])
                // While A's lease runs, B gets only the others.
                let others = try await b.lease(limit: 10, at: epoch.addingTimeInterval(29), for: .seconds(30))
                #expect(others.map(\.id) == ["item-2", "item-3"])
                try await b.acknowledge(others.map(\.id))
                // After the expiry, B takes A's items.
                let taken = try await b.lease(limit: 10, at: epoch.addingTimeInterval(30), for: .seconds(30))
                #expect(taken.map(\.id) == ["item-0", "item-1"])

                // A wakes up and finishes its stale work: none of it lands.
                try await a.acknowledge(["item-0"])
                var retried = held[1]
                retried.attempts = 5
                try await a.reschedule(retried, availableAt: epoch)
                try await a.deadLetter(held[0], failure: DeliveryFailure(
                    status: 400, errorCode: "STALE", message: "stale", retryability: .final))
                #expect(try await b.counts() == OutboxCounts(pending: 0, leased: 2, dead: 0))
                #expect(try await a.lease(limit: 10, at: epoch.addingTimeInterval(31), for: .seconds(30)) == [])

                // B, the holder, finishes them.
                var failed = taken[1]
                failed.attempts = 1
                try await b.reschedule(failed, availableAt: epoch.addingTimeInterval(40))
                try await b.acknowledge(["item-0"])
                #expect(try await b.counts() == OutboxCounts(pending: 1, leased: 0, dead: 0))
                let again = try await a.lease(limit: 10, at: epoch.addingTimeInterval(40), for: .seconds(30))
                #expect(again.map(\.attempts) == [1])
                try await TestDatabase.drop(table, on: clientA)
            }
        }
    }

    @Test("renew extends only the leases an instance still holds; another instance's renew changes nothing")
    func renewOwnLeasesOnly() async throws {
        let table = TestDatabase.uniqueTable()
        try await TestDatabase.withClient { clientA in
            try await TestDatabase.withClient { clientB in
                let configuration = PostgresOutbox.Configuration(table: table, timeSource: .caller)
                let a = try PostgresOutbox(client: clientA, configuration: configuration)
                let b = try PostgresOutbox(client: clientB, configuration: configuration)
                try await a.migrate()
                try await a.enqueue(makeItems(3))
                let held = try await a.lease(limit: 2, at: epoch, for: .seconds(30))
                #expect(held.map(\.id) == ["item-0", "item-1"])
                // B cannot renew A's leases, nor ids that are pending.
                #expect(try await b.renew(["item-0", "item-1", "item-2"], at: epoch.addingTimeInterval(20), for: .seconds(60)).isEmpty)
                // A renews item-0 at 20 s for 60 s more; item-1's lease still ends at 30 s.
                #expect(try await a.renew(["item-0", "item-2", "missing"], at: epoch.addingTimeInterval(20), for: .seconds(60)) == ["item-0"])
                let taken = try await b.lease(limit: 10, at: epoch.addingTimeInterval(31), for: .seconds(30))
                #expect(taken.map(\.id) == ["item-1", "item-2"])
                // item-1 is B's now: A's late renewal of it is refused, so A knows not to send it.
                #expect(try await a.renew(["item-0", "item-1"], at: epoch.addingTimeInterval(32), for: .seconds(60)) == ["item-0"])
                // At 79 s B's own leases (to 61 s) have run out and come back; A's renewed item-0 (to 92 s) does not.
                let later = try await b.lease(limit: 10, at: epoch.addingTimeInterval(79), for: .seconds(30))
                #expect(later.map(\.id) == ["item-1", "item-2"])
                try await TestDatabase.drop(table, on: clientA)
            }
        }
    }

    @Test("with the database's clock, a caller's skewed time neither takes live leases nor delays due items")
    func databaseClockIgnoresSkew() async throws {
        let clock = ManualClock(now: epoch)  // far from the server's real time: a badly skewed instance
        try await TestDatabase.withOutbox(timeSource: .database, clock: clock) { outbox, client in
            try await outbox.enqueue(makeItems(3))
            // A caller far in the past still gets due items: the server decides what is due.
            let first = try await outbox.lease(limit: 1, at: .distantPast, for: .seconds(60))
            #expect(first.map(\.id) == ["item-0"])
            // A caller far in the future does not take the live lease.
            let skewed = try PostgresOutbox(client: client, configuration: outbox.configuration, clock: clock)
            let rest = try await skewed.lease(limit: 10, at: .distantFuture, for: .seconds(60))
            #expect(rest.map(\.id) == ["item-1", "item-2"])
            #expect(try await skewed.lease(limit: 10, at: .distantFuture, for: .seconds(60)) == [])

            // A retry in 1 hour is an hour from the server's now, reported back on the caller's clock.
            var item = first[0]
            item.attempts = 1
            try await outbox.reschedule(item, availableAt: clock.now.addingTimeInterval(3_600))
            try await skewed.acknowledge(rest.map(\.id))
            let next = try #require(try await outbox.nextAvailableDate())
            #expect(abs(next.timeIntervalSince(clock.now) - 3_600) < 5)
            #expect(try await skewed.lease(limit: 10, at: .distantFuture, for: .seconds(60)) == [])

            // A retry due now is available at once.
            try await client.query("UPDATE \(unescaped: outbox.configuration.table) SET available_at = now() - interval '1 second'")
            let due = try await skewed.lease(limit: 10, at: .distantPast, for: .seconds(60))
            #expect(due.map(\.attempts) == [1])
        }
    }

    @Test("with the database's clock, a short lease expires on the server's time and its items come back")
    func databaseLeaseExpires() async throws {
        try await TestDatabase.withOutbox(timeSource: .database, clock: SystemClock()) { outbox, client in
            try await outbox.enqueue(makeItems(2))
            let other = try PostgresOutbox(client: client, configuration: outbox.configuration)
            #expect(try await outbox.lease(limit: 2, at: Date(), for: .milliseconds(300)).count == 2)
            #expect(try await other.lease(limit: 2, at: Date(), for: .seconds(60)) == [])
            let next = try #require(try await outbox.nextAvailableDate())
            #expect(next.timeIntervalSinceNow < 1)
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await other.lease(limit: 2, at: Date(), for: .seconds(60)).count == 2)
            try await outbox.acknowledge(["item-0", "item-1"])
            #expect(try await other.counts() == OutboxCounts(pending: 0, leased: 2, dead: 0))
        }
    }
}
