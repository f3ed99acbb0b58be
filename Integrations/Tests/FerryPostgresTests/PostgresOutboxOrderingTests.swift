import FerryCore
import FerryDelivery
import FerryPostgres
import Foundation
import PostgresNIO
import Testing

/// Per-record order (issue #16 item 2) in the database: rows with one ordering key leave one at a time, oldest
/// first, retries included, whichever instance leases.
@Suite("PostgresOutbox: ordering keys", .enabled(if: TestDatabase.isAvailable, TestDatabase.skipped),
       .timeLimit(.minutes(2)))
struct PostgresOutboxOrderingTests {
    func item(_ id: String, key: String?) -> DeliveryItem {
        var item = DeliveryItem(id: id, payload: ["id": .string(id)])
        item.orderingKey = key
        return item
    }

    @Test("a key with a pending or leased older row is skipped; a retried row holds back its successors")
    func oneInFlightPerKey() async throws {
        try await TestDatabase.withOutbox(clock: ManualClock(now: epoch)) { outbox, _ in
            try await outbox.enqueue([
                item("a1", key: "a"), item("a2", key: "a"), item("b1", key: "b"), item("a3", key: "a"),
                item("n1", key: nil),
            ])
            let first = try await outbox.lease(limit: 10, at: epoch, for: .seconds(60))
            #expect(first.map(\.id) == ["a1", "b1", "n1"])
            #expect(first.first?.orderingKey == "a")
            #expect(try await outbox.lease(limit: 10, at: epoch, for: .seconds(60)).isEmpty)
            // a1 fails and waits 30 s: a2 must not overtake it.
            try await outbox.reschedule(first[0], availableAt: epoch.addingTimeInterval(30))
            #expect(try await outbox.lease(limit: 10, at: epoch.addingTimeInterval(10), for: .seconds(60)).isEmpty)
            let retried = try await outbox.lease(limit: 10, at: epoch.addingTimeInterval(30), for: .seconds(60))
            #expect(retried.map(\.id) == ["a1"])
            try await outbox.acknowledge(["a1"])
            let next = try await outbox.lease(limit: 10, at: epoch.addingTimeInterval(31), for: .seconds(60))
            #expect(next.map(\.id) == ["a2"])
            // A dead letter lets the next one go.
            try await outbox.deadLetter(next[0], failure: DeliveryFailure(
                status: 400, errorCode: "REQUIRED_FIELD_MISSING", message: "Name", retryability: .final))
            let last = try await outbox.lease(limit: 10, at: epoch.addingTimeInterval(32), for: .seconds(60))
            #expect(last.map(\.id) == ["a3"])
        }
    }
}
