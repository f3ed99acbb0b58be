import FerryCore
import FerryDelivery
import Foundation
import Testing

/// Ordering keys in the journal: same-key items keep their order across a restart.
@Suite("FileOutbox ordering keys")
struct FileOutboxOrderingTests {
    let now = Date(timeIntervalSince1970: 10_000)

    func item(_ id: String, key: String?) -> DeliveryItem {
        var item = DeliveryItem(id: id, payload: ["id": .string(id)])
        item.orderingKey = key
        return item
    }

    func lease(_ outbox: FileOutbox, at time: TimeInterval = 0) async throws -> [String] {
        try await outbox.lease(limit: 10, at: now + time, for: .seconds(60)).map(\.id)
    }

    @Test("after a restart, a retried item still holds back the later items with its key, which keep their order")
    func orderSurvivesRestart() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue([
            item("a1", key: "a"), item("a2", key: "a"), item("b1", key: "b"), item("a3", key: "a"), item("n1", key: nil),
        ])
        let first = try await outbox.lease(limit: 10, at: now, for: .seconds(60))
        #expect(first.map(\.id) == ["a1", "b1", "n1"])
        #expect(first.first?.orderingKey == "a")
        let a1 = try #require(first.first)
        try await outbox.reschedule(a1, availableAt: now + 30)
        try await outbox.close()

        let again = try FileOutbox(directory: directory.url)
        // b1 and n1 were in flight at the "crash" and come back; a2 still waits behind the retried a1.
        #expect(try await lease(again, at: 10).sorted() == ["b1", "n1"])
        #expect(try await lease(again, at: 30) == ["a1"])
        try await again.acknowledge(["a1"])
        let next = try await again.lease(limit: 10, at: now + 31, for: .seconds(60))
        #expect(next.map(\.id) == ["a2"])
        #expect(next.first?.orderingKey == "a")
        try await again.acknowledge(["a2"])
        #expect(try await lease(again, at: 32) == ["a3"])
        try await again.close()
    }

    @Test("items written without an ordering key (as journals before keys were) recover with none and are not held back")
    func keylessRecordsRecover() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue([item("x1", key: nil), item("x2", key: nil)])
        try await outbox.close()
        let again = try FileOutbox(directory: directory.url)
        let leased = try await again.lease(limit: 10, at: now, for: .seconds(60))
        #expect(leased.map(\.id) == ["x1", "x2"])
        #expect(leased.allSatisfy { $0.orderingKey == nil })
        try await again.close()
    }
}
