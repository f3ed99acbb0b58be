import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import PostgresNIO
import Testing

/// The `Outbox` contract, against a real server, with the caller's times (a `ManualClock`) so every date is exact.
@Suite("PostgresOutbox: the Outbox protocol", .enabled(if: TestDatabase.isAvailable, TestDatabase.skipped),
       .timeLimit(.minutes(2)))
struct PostgresOutboxProtocolTests {
    @Test("enqueue returns the added ids and ignores ids that are pending, leased, dead or repeated")
    func enqueueIgnoresKnownIDs() async throws {
        try await TestDatabase.withOutbox { outbox, _ in
            let added = try await outbox.enqueue(makeItems(4) + [DeliveryItem(id: "item-0", payload: "again")])
            #expect(added == ["item-0", "item-1", "item-2", "item-3"])
            let leased = try await outbox.lease(limit: 2, at: epoch, for: .seconds(60))
            #expect(leased.map(\.id) == ["item-0", "item-1"])
            try await outbox.deadLetter(leased[1], failure: DeliveryFailure(
                status: 400, errorCode: "REQUIRED_FIELD_MISSING", message: "Name", retryability: .final))
            let again = try await outbox.enqueue(makeItems(6))
            #expect(again == ["item-4", "item-5"])
            #expect(try await outbox.counts() == OutboxCounts(pending: 4, leased: 1, dead: 1))
            #expect(try await outbox.enqueue([]) == [])
        }
    }

    @Test("lease, reschedule, acknowledge and dead-letter finish when the calling task is cancelled (a stopping pipeline)")
    func settlingIgnoresCancellation() async throws {
        try await TestDatabase.withOutbox(clock: ManualClock(now: epoch)) { outbox, _ in
            try await outbox.enqueue(makeItems(3))
            let stopped = Task {
                while !Task.isCancelled { await Task.yield() }   // lease and settle from a task already cancelled
                let leased = try await outbox.lease(limit: 3, at: epoch, for: .seconds(300))
                try #require(leased.map(\.id) == ["item-0", "item-1", "item-2"])
                try await outbox.reschedule(leased[0], availableAt: epoch)
                try await outbox.acknowledge([leased[1].id])
                try await outbox.deadLetter(leased[2], failure: DeliveryFailure(
                    status: 400, errorCode: "REQUIRED_FIELD_MISSING", message: "Name", retryability: .final))
            }
            stopped.cancel()
            try await stopped.value
            #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 1))
            // The handed-back row is free at once, not after its 300 s lease.
            #expect(try await outbox.lease(limit: 3, at: epoch, for: .seconds(300)).map(\.id) == ["item-0"])
        }
    }

    @Test("a payload's bytes come back as they were rendered: white space, escapes and number spelling kept")
    func payloadBytesRoundTrip() async throws {
        try await TestDatabase.withOutbox(clock: ManualClock(now: epoch)) { outbox, _ in
            let text = #"{ "userId" : "u1", "ratio": 2.50, "note": "caf\u00e9 \/ \"ok\"", "big": 1E5 }"#
            let payload = try RawJSON(validating: text)
            try await outbox.enqueue([DeliveryItem(id: "bytes", payload: payload)])
            let leased = try await outbox.lease(limit: 1, at: epoch, for: .seconds(60))
            #expect(leased.first?.payload.data == Data(text.utf8))
        }
    }

    @Test("items come back exactly as stored: payload text and key order, route, sequence, attempts, dates")
    func itemsRoundTrip() async throws {
        try await TestDatabase.withOutbox(clock: ManualClock(now: epoch)) { outbox, _ in
            let payload = try JSONValue(parsing: #"{"z":1,"a":{"big":123456789012345678901234567890,"x":1.50},"s":"é\u2028\"q\"","n":null,"l":[true,false]}"#)
            var item = DeliveryItem(id: "round-trip", payload: payload, route: "Survey__c", sequence: 42)
            item.attempts = 3
            item.firstAttemptAt = epoch.addingTimeInterval(-30)
            item.acceptedAt = epoch.addingTimeInterval(-60.25)
            try await outbox.enqueue([item, DeliveryItem(id: "plain", payload: [:])])
            let leased = try await outbox.lease(limit: 10, at: epoch, for: .seconds(60))
            // An item without an acceptance time is stamped with the enqueue's (the outbox's clock here).
            var plain = DeliveryItem(id: "plain", payload: [:])
            plain.acceptedAt = epoch
            #expect(leased == [item, plain])
            #expect(leased.first?.payload.text == payload.jsonString())
        }
    }

    @Test("lease takes the oldest available items up to the limit, and not what another lease holds")
    func leaseOldestFirst() async throws {
        try await TestDatabase.withOutbox { outbox, _ in
            try await outbox.enqueue(makeItems(5))
            #expect(try await outbox.lease(limit: 0, at: epoch, for: .seconds(60)) == [])
            let first = try await outbox.lease(limit: 3, at: epoch, for: .seconds(60))
            #expect(first.map(\.id) == ["item-0", "item-1", "item-2"])
            let second = try await outbox.lease(limit: 3, at: epoch, for: .seconds(60))
            #expect(second.map(\.id) == ["item-3", "item-4"])
            #expect(try await outbox.lease(limit: 3, at: epoch.addingTimeInterval(59), for: .seconds(60)) == [])
            #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 5, dead: 0))
            #expect(try await outbox.nextAvailableDate() == epoch.addingTimeInterval(60))
        }
    }

    @Test("an expired lease makes its items available again")
    func expiredLeaseReturns() async throws {
        try await TestDatabase.withOutbox { outbox, _ in
            try await outbox.enqueue(makeItems(2))
            _ = try await outbox.lease(limit: 1, at: epoch, for: .seconds(10))
            let later = try await outbox.lease(limit: 5, at: epoch.addingTimeInterval(10), for: .seconds(10))
            #expect(Set(later.map(\.id)) == ["item-0", "item-1"])
        }
    }

    @Test("acknowledge removes leased items and ignores ids that are not leased")
    func acknowledgeRemoves() async throws {
        try await TestDatabase.withOutbox { outbox, _ in
            try await outbox.enqueue(makeItems(3))
            let leased = try await outbox.lease(limit: 2, at: epoch, for: .seconds(60))
            try await outbox.acknowledge(leased.map(\.id) + ["item-2", "unknown"])
            #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 0))
            try await outbox.acknowledge([])
            // Acknowledged ids are forgotten by default: the same id is a new item.
            #expect(try await outbox.enqueue(makeItems(1)) == ["item-0"])
        }
    }

    @Test("reschedule stores the attempt count and hides the item until its date")
    func rescheduleWaits() async throws {
        let clock = ManualClock(now: epoch)
        try await TestDatabase.withOutbox(clock: clock) { outbox, _ in
            try await outbox.enqueue(makeItems(1))
            #expect(try await outbox.nextAvailableDate() == epoch)
            var item = try #require(try await outbox.lease(limit: 1, at: epoch, for: .seconds(60)).first)
            item.attempts = 1
            item.firstAttemptAt = epoch
            try await outbox.reschedule(item, availableAt: epoch.addingTimeInterval(30))
            #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 0))
            #expect(try await outbox.nextAvailableDate() == epoch.addingTimeInterval(30))
            #expect(try await outbox.lease(limit: 1, at: epoch.addingTimeInterval(29), for: .seconds(60)) == [])
            let again = try await outbox.lease(limit: 1, at: epoch.addingTimeInterval(30), for: .seconds(60))
            #expect(again == [item])
            // Rescheduling an item that is not leased changes nothing.
            try await outbox.acknowledge([item.id])
            try await outbox.reschedule(item, availableAt: epoch)
            #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
            #expect(try await outbox.nextAvailableDate() == nil)
        }
    }

    @Test("dead letters keep their failure, come out oldest first, and replay resets their attempts")
    func deadLettersAndReplay() async throws {
        let clock = ManualClock(now: epoch)
        try await TestDatabase.withOutbox(clock: clock) { outbox, _ in
            try await outbox.enqueue(makeItems(3))
            let leased = try await outbox.lease(limit: 3, at: epoch, for: .seconds(60))
            var failures: [DeliveryFailure] = []
            for (index, var item) in leased.reversed().enumerated() {
                item.attempts = 8
                item.firstAttemptAt = epoch
                let failure = DeliveryFailure(
                    status: index == 0 ? 503 : nil, errorCode: DeliveryErrorCode(rawValue: "E\(index)"), message: "failure \(index)",
                    retryability: index == 0 ? .transient : .final, retryAfter: index == 0 ? .seconds(5) : nil)
                failures.append(failure)
                try await outbox.deadLetter(item, failure: failure)
                clock.advance(by: .seconds(1))
            }
            let letters = try await outbox.deadLetters(limit: 10)
            #expect(letters.map(\.item.id) == ["item-2", "item-1", "item-0"])
            #expect(letters.map(\.failure) == failures)
            #expect(letters.allSatisfy { $0.item.attempts == 8 && $0.item.firstAttemptAt == epoch })
            #expect(try await outbox.deadLetters(limit: 1).map(\.item.id) == ["item-2"])
            #expect(try await outbox.deadLetters(limit: 0) == [])
            #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 3))
            #expect(try await outbox.nextAvailableDate() == nil)

            #expect(try await outbox.replayDeadLetters(["item-1", "unknown"]) == 1)
            #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 2))
            #expect(try await outbox.replayDeadLetters(nil) == 2)
            #expect(try await outbox.replayDeadLetters(nil) == 0)
            let replayed = try await outbox.lease(limit: 5, at: clock.now, for: .seconds(60))
            #expect(Set(replayed.map(\.id)) == ["item-0", "item-1", "item-2"])
            #expect(replayed.allSatisfy { $0.attempts == 0 && $0.firstAttemptAt == nil })
        }
    }

    @Test("with remembersDelivered, acknowledged ids are not enqueued again until forgotten")
    func remembersDelivered() async throws {
        let clock = ManualClock(now: epoch)
        try await TestDatabase.withOutbox(clock: clock, remembersDelivered: true) { outbox, _ in
            try await outbox.enqueue(makeItems(2))
            let leased = try await outbox.lease(limit: 2, at: epoch, for: .seconds(60))
            try await outbox.acknowledge(leased.map(\.id))
            #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
            #expect(try await outbox.enqueue(makeItems(3)) == ["item-2"])
            #expect(try await outbox.lease(limit: 5, at: epoch, for: .seconds(60)).map(\.id) == ["item-2"])
            clock.advance(by: .seconds(100))
            #expect(try await outbox.forgetDelivered(olderThan: .seconds(101)) == 0)
            #expect(try await outbox.forgetDelivered(olderThan: .seconds(99)) == 2)
            #expect(try await outbox.enqueue(makeItems(2)) == ["item-0", "item-1"])
        }
    }

    @Test("enqueues larger than one INSERT are split and stored together")
    func largeEnqueue() async throws {
        try await TestDatabase.withOutbox { outbox, _ in
            let items = makeItems(2_500)
            #expect(try await outbox.enqueue(items).count == 2_500)
            #expect(try await outbox.enqueue(items).isEmpty)
            let leased = try await outbox.lease(limit: 3_000, at: epoch, for: .seconds(60))
            #expect(leased.map(\.id) == items.map(\.id))
        }
    }

    @Test("the largest INSERT allowed stays within PostgreSQL's 65,535 parameters")
    func largestInsert() async throws {
        try await TestDatabase.withOutbox { outbox, client in
            let configured = PostgresOutbox.Configuration(table: outbox.configuration.table, insertBatchSize: 100_000)
            #expect(configured.insertBatchSize == PostgresOutbox.Configuration.maximumInsertBatchSize)
            var unclamped = configured
            unclamped.insertBatchSize = 100_000  // set after init: clamped when used
            let big = try PostgresOutbox(client: client, configuration: unclamped)
            let largest = PostgresOutbox.Configuration.maximumInsertBatchSize
            #expect(try await big.enqueue(makeItems(largest)).count == largest)
            #expect(try await outbox.counts().pending == largest)
        }
    }
}
