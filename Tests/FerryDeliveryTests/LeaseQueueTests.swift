import Foundation
import Testing

// The lease queue is internal: both outboxes are built on it, so it is tested alone here, and through them in
// InMemoryOutboxTests and the FileOutbox suites.
@testable import FerryDelivery

@Suite("LeaseQueue")
struct LeaseQueueTests {
    let now = Date(timeIntervalSince1970: 1_000)

    func queue(_ count: Int) -> LeaseQueue<Int> {
        var queue = LeaseQueue<Int>()
        for index in 1...count { queue.insertIfAbsent("item-\(index)", index) }
        return queue
    }

    func ids(_ leased: [(id: String, element: Int, lease: UInt64)]) -> [String] { leased.map(\.id) }
    func ids(_ items: [(id: String, element: Int)]) -> [String] { items.map(\.id) }

    @Test("leases oldest first up to the limit, and counts each state")
    func leasing() {
        var queue = queue(5)
        let addedAgain = queue.insertIfAbsent("item-2", 99)
        #expect(!addedAgain)
        #expect(queue.entry("item-2")?.element == 2)
        let result1 = queue.lease(limit: 2, at: now, until: now + 60)
        #expect(ids(result1) == ["item-1", "item-2"])
        #expect(queue.counts == OutboxCounts(pending: 3, leased: 2, dead: 0))
        #expect(queue.isLeased("item-1") && !queue.isLeased("item-3"))
        let result2 = queue.lease(limit: 10, at: now, until: now + 60)
        #expect(ids(result2) == ["item-3", "item-4", "item-5"])
        let result3 = queue.lease(limit: 10, at: now, until: now + 60)
        #expect(result3.isEmpty)
        let result4 = queue.nextAvailableDate()
        #expect(result4 == now + 60)
    }

    @Test("an expired lease makes the item ready again; an unexpired one does not")
    func expiry() {
        var queue = queue(1)
        _ = queue.lease(limit: 1, at: now, until: now + 60)
        let result5 = queue.lease(limit: 1, at: now + 59, until: now + 120)
        #expect(result5.isEmpty)
        let result6 = queue.lease(limit: 1, at: now + 60, until: now + 120)
        #expect(ids(result6) == ["item-1"])
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 1, dead: 0))
    }

    @Test("a renewed lease does not expire at its first expiry; the old expiry entry is ignored")
    func renewal() {
        var queue = queue(2)
        _ = queue.lease(limit: 2, at: now, until: now + 60)
        let result7 = queue.renew(["item-1", "missing"], until: now + 180)
        #expect(result7 == ["item-1"])
        _ = queue.renew(["item-2"], until: now + 90)
        // The first expiries (60) were superseded: the next date is the earliest live lease.
        let next = queue.nextAvailableDate()
        #expect(next == now + 90)
        // item-2 was not renewed: it comes back at 60; item-1 holds until 180.
        let result8 = queue.lease(limit: 5, at: now + 100, until: now + 200)
        #expect(ids(result8) == ["item-2"])  // renewed to 90 only
        let result9 = queue.lease(limit: 5, at: now + 179, until: now + 300)
        #expect(result9.isEmpty)
        let result10 = queue.lease(limit: 5, at: now + 180, until: now + 300)
        #expect(ids(result10) == ["item-1"])
    }

    @Test("renewing an item that is not leased changes nothing")
    func renewNotLeased() {
        var queue = queue(2)
        _ = queue.lease(limit: 1, at: now, until: now + 60)
        queue.remove("item-1")
        let result11 = queue.renew(["item-1", "item-2"], until: now + 600)
        #expect(result11.isEmpty)
        #expect(queue.counts == OutboxCounts(pending: 1, leased: 0, dead: 0))
    }

    @Test("a retry waits until its date, then is leased again with its new element")
    func delayedRetry() {
        var queue = queue(1)
        _ = queue.lease(limit: 1, at: now, until: now + 60)
        queue.put("item-1", 10, pendingUntil: now + 30)
        #expect(queue.counts == OutboxCounts(pending: 1, leased: 0, dead: 0))
        let result12 = queue.nextAvailableDate()
        #expect(result12 == now + 30)
        let result13 = queue.lease(limit: 1, at: now + 29, until: now + 90)
        #expect(result13.isEmpty)
        let leased = queue.lease(limit: 1, at: now + 30, until: now + 90)
        #expect(leased.map(\.element) == [10])
        // The lease taken at 0 was replaced by the retry: its expiry at 60 does not free the new lease.
        let result14 = queue.lease(limit: 1, at: now + 61, until: now + 120)
        #expect(result14.isEmpty)
    }

    @Test("dead items are listed oldest first and replayed to ready")
    func deadLetters() {
        var queue = queue(3)
        _ = queue.lease(limit: 3, at: now, until: now + 60)
        queue.putDead("item-2", 2)
        queue.putDead("item-1", 1)
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 1, dead: 2))
        let result15 = queue.deadLetters(limit: 10)
        #expect(ids(result15) == ["item-2", "item-1"])
        let result16 = queue.deadLetters(limit: 1)
        #expect(ids(result16) == ["item-2"])
        let result17 = queue.deadIDs(["item-1", "item-3"])
        #expect(result17 == ["item-1"])
        queue.put("item-1", 1, pendingUntil: nil)
        let result18 = queue.deadIDs(nil)
        #expect(result18 == ["item-2"])
        let result19 = queue.lease(limit: 5, at: now, until: now + 60)
        #expect(ids(result19) == ["item-1"])
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 2, dead: 1))
    }

    @Test("removeAll takes the chosen items out of every count")
    func removeAll() {
        var queue = queue(4)
        _ = queue.lease(limit: 1, at: now, until: now + 60)
        _ = queue.lease(limit: 1, at: now, until: now + 60)
        queue.putDead("item-2", 2)
        let removed = queue.removeAll { _, entry in entry.state != .dead }
        #expect(Set(removed.map(\.id)) == ["item-1", "item-3", "item-4"])
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 0, dead: 1))
        let result20 = queue.nextAvailableDate()
        #expect(result20 == nil)
    }

    @Test("rebuildReady drops stale entries and restores the given order")
    func rebuildReady() {
        var queue = LeaseQueue<Int>()
        queue.put("c", 3, pendingUntil: nil)
        queue.put("a", 1, pendingUntil: nil)
        queue.put("b", 2, pendingUntil: nil)
        queue.remove("b")
        #expect(queue.readyHasStalePairs)
        queue.rebuildReady { UInt64($0) }
        #expect(!queue.readyHasStalePairs)
        let result21 = queue.lease(limit: 5, at: now, until: now + 60)
        #expect(ids(result21) == ["a", "c"])
    }

    @Test("expiry entries of ended leases are dropped, so the heap stays as large as what is leased")
    func compaction() {
        var queue = LeaseQueue<Int>()
        for round in 0..<3_000 {
            queue.insertIfAbsent("item-\(round)", round)
            for (id, _, _) in queue.lease(limit: 1, at: now, until: now + 60) { queue.remove(id) }
        }
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 0, dead: 0))
        let result22 = queue.nextAvailableDate()
        #expect(result22 == nil)
        #expect(queue.leaseHeapCount <= 1_025)
    }
}
