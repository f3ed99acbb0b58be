import FerryCore
import FerryDelivery
import Foundation
import Testing

/// Issue #16 item 1: a holder whose lease ran out, and went to another deliverer, changes nothing in the outbox.
@Suite("A stale lease holder changes nothing")
struct StaleLeaseHolderTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case inMemory, file
        var testDescription: String { rawValue }
    }

    /// An outbox of `kind` and what removes it afterwards.
    static func outbox(_ kind: Kind) throws -> (outbox: any OutboxAdministration, close: () async throws -> Void) {
        switch kind {
        case .inMemory:
            return (InMemoryOutbox(), {})
        case .file:
            let directory = TemporaryDirectory()
            let outbox = try FileOutbox(directory: directory.url)
            return (outbox, {
                try await outbox.close()
                directory.cleanUp()
            })
        }
    }

    static func keyed(_ id: String, key: String) -> DeliveryItem {
        var item = DeliveryItem(id: id, payload: ["npsScore": 9])
        item.orderingKey = key
        return item
    }

    @Test("after a lapse and a second lease, the first holder's acknowledgement, retry, dead letter and renewal change nothing",
          arguments: Kind.allCases)
    func staleHolder(_ kind: Kind) async throws {
        let (outbox, close) = try Self.outbox(kind)
        let now = outboxNow
        try await outbox.enqueue([Self.keyed("a-1", key: "user-7"), Self.keyed("a-2", key: "user-7")])
        let stale = try await outbox.lease(limit: 10, at: now, for: .seconds(5))
        #expect(stale.map(\.id) == ["a-1"])
        // The first holder stalls past its lease; another deliverer leases the item.
        let current = try await outbox.lease(limit: 10, at: now + 6, for: .seconds(5))
        #expect(current.map(\.id) == ["a-1"])
        #expect(current.first?.lease != nil && current.first?.lease != stale.first?.lease)

        try await outbox.acknowledge(leased: stale)
        // The item stays leased to the new holder, and the next same-key item is not released early.
        #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 1, dead: 0))
        #expect(try await outbox.lease(limit: 10, at: now + 7, for: .seconds(5)).isEmpty)

        let item = try #require(stale.first)
        try await outbox.reschedule(item, availableAt: now + 7)
        try await outbox.deadLetter(item, failure: finalFailure)
        #expect(try await outbox.renew(leased: stale, at: now + 7, for: .seconds(60)).isEmpty)
        #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 1, dead: 0))
        #expect(try await outbox.lease(limit: 10, at: now + 8, for: .seconds(5)).isEmpty)

        // The current holder keeps its lease (its renewal is not undone by the stale one) and acknowledges: the
        // next same-key item is released.
        #expect(try await outbox.renew(leased: current, at: now + 8, for: .seconds(5)) == ["a-1"])
        #expect(try await outbox.lease(limit: 10, at: now + 12, for: .seconds(5)).isEmpty)
        try await outbox.acknowledge(leased: current)
        #expect(try await outbox.lease(limit: 10, at: now + 12, for: .seconds(5)).map(\.id) == ["a-2"])
        #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 1, dead: 0))
        try await close()
    }

    @Test("the current holder's retry and dead letter still apply", arguments: Kind.allCases)
    func currentHolder(_ kind: Kind) async throws {
        let (outbox, close) = try Self.outbox(kind)
        let now = outboxNow
        try await outbox.enqueue([DeliveryItem(id: "b-1", payload: ["npsScore": 1]), DeliveryItem(id: "b-2", payload: ["npsScore": 2])])
        _ = try await outbox.lease(limit: 10, at: now, for: .seconds(5))
        let current = try await outbox.lease(limit: 10, at: now + 6, for: .seconds(5))
        #expect(current.map(\.id) == ["b-1", "b-2"])
        var retried = current[0]
        retried.attempts = 1
        try await outbox.reschedule(retried, availableAt: now + 6)
        try await outbox.deadLetter(current[1], failure: finalFailure)
        #expect(try await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 1))
        let again = try await outbox.lease(limit: 10, at: now + 7, for: .seconds(5))
        #expect(again.map(\.attempts) == [1])
        try await close()
    }

    @Test("a lease token is not part of an item's value: equal, same hash, not coded")
    func tokenIsNotValue() throws {
        let item = DeliveryItem(id: "c-1", payload: ["npsScore": 3])
        var leased = item
        leased.lease = LeaseToken(rawValue: 42)
        #expect(leased == item)
        #expect(Set([leased, item]).count == 1)
        let text = String(decoding: try JSONEncoder().encode(leased), as: UTF8.self)
        #expect(!text.contains("lease") && !text.contains("42"))
        #expect(try JSONDecoder().decode(DeliveryItem.self, from: Data(text.utf8)).lease == nil)
    }
}
