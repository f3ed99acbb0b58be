import Foundation
import Testing

@testable import FerryDelivery

// Ordering keys on the lease queue alone: both outboxes lease through it, so what holds here holds for them.
@Suite("LeaseQueue ordering keys")
struct LeaseQueueOrderingTests {
    let now = Date(timeIntervalSince1970: 1_000)

    /// Items `a1 a2 b1 a3 n1`: `a*` share key "a", `b1` has key "b", `n1` has none.
    func queue() -> LeaseQueue<Int> {
        var queue = LeaseQueue<Int>()
        queue.insertIfAbsent("a1", 1, orderingKey: "a")
        queue.insertIfAbsent("a2", 2, orderingKey: "a")
        queue.insertIfAbsent("b1", 3, orderingKey: "b")
        queue.insertIfAbsent("a3", 4, orderingKey: "a")
        queue.insertIfAbsent("n1", 5)
        return queue
    }

    func lease(_ queue: inout LeaseQueue<Int>, at time: TimeInterval = 0) -> [String] {
        queue.lease(limit: 10, at: now + time, until: now + time + 60).map(\.id)
    }

    @Test("two items with the same key are never leased together; other keys and unkeyed items still are")
    func oneInFlightPerKey() {
        var queue = queue()
        #expect(lease(&queue) == ["a1", "b1", "n1"])
        // a2 is held back while a1 is leased, and nothing else is ready now: the next date is a1's lease expiry,
        // not "now" (an idle deliverer must not spin on a held-back item).
        #expect(lease(&queue).isEmpty)
        #expect(queue.nextAvailableDate() == now + 60)
        queue.remove("a1")
        #expect(queue.nextAvailableDate() == .distantPast)
        #expect(lease(&queue) == ["a2"])
        queue.remove("a2")
        #expect(lease(&queue) == ["a3"])
        #expect(queue.counts == OutboxCounts(pending: 0, leased: 3, dead: 0))
    }

    @Test("a retried item holds back the later same-key items until it is delivered, then they go in order")
    func retryKeepsOrder() {
        var queue = queue()
        _ = lease(&queue)
        // a1 fails and waits 30 s: a2 must not overtake it.
        queue.put("a1", 1, pendingUntil: now + 30, orderingKey: "a")
        #expect(lease(&queue, at: 10).isEmpty)
        #expect(queue.nextAvailableDate() == now + 30)
        #expect(lease(&queue, at: 30) == ["a1"])
        queue.remove("a1")
        #expect(lease(&queue, at: 31) == ["a2"])
    }

    @Test("an expired lease gives the item back at the head of its lane")
    func expiredLeaseKeepsPlace() {
        var queue = queue()
        _ = lease(&queue)
        #expect(lease(&queue, at: 60).sorted() == ["a1", "b1", "n1"])
    }

    @Test("a dead-lettered item lets the next one go; replayed, it joins the end of its lane")
    func deadLetterUnblocks() {
        var queue = queue()
        _ = lease(&queue)
        queue.putDead("a1", 1)
        #expect(lease(&queue) == ["a2"])
        _ = queue.replayHelper("a1")
        queue.remove("a2")
        #expect(lease(&queue) == ["a3"])
        queue.remove("a3")
        #expect(lease(&queue) == ["a1"])
    }

    @Test("a held-back retry whose date passed while it waited is leased once it reaches the head")
    func delayedBehindHead() {
        var queue = LeaseQueue<Int>()
        queue.insertIfAbsent("a1", 1, orderingKey: "a")
        queue.insertIfAbsent("a2", 2, orderingKey: "a")
        _ = queue.lease(limit: 10, at: now, until: now + 60)
        // a1's lease expires at 60 and it is taken again; a2 was never leased. Make a2 wait (as a recovery can
        // replay it) until 10, let that date pass while a1 holds the lane, then deliver a1.
        queue.put("a2", 2, pendingUntil: now + 10, orderingKey: "a")
        #expect(lease(&queue, at: 20).isEmpty)
        queue.remove("a1")
        #expect(lease(&queue, at: 21) == ["a2"])
    }

    @Test("removing an item in the middle of a lane does not let the one after it overtake the head")
    func middleRemoval() {
        var queue = queue()
        _ = lease(&queue)
        queue.remove("a2")
        #expect(lease(&queue).isEmpty)
        queue.remove("a1")
        #expect(lease(&queue) == ["a3"])
    }

    @Test("sortLanes puts lanes back in acceptance order after an out-of-order replay")
    func recoveryOrder() {
        var queue = LeaseQueue<Int>()
        // Replayed newest first, as a compacted journal can; the element is the acceptance order.
        queue.put("a3", 3, pendingUntil: nil, orderingKey: "a")
        queue.put("a2", 2, pendingUntil: nil, orderingKey: "a")
        queue.put("a1", 1, pendingUntil: nil, orderingKey: "a")
        queue.sortLanes { UInt64($0) }
        var order: [String] = []
        while let next = queue.lease(limit: 10, at: now, until: now + 60).first {
            order.append(next.id)
            queue.remove(next.id)
        }
        #expect(order == ["a1", "a2", "a3"])
    }
}

extension LeaseQueue where Element == Int {
    /// Replays a dead item as the outboxes do: pending again, with its key.
    fileprivate mutating func replayHelper(_ id: String) -> Bool {
        guard let entry = entry(id), entry.state == .dead else { return false }
        put(id, entry.element, pendingUntil: nil, orderingKey: entry.orderingKey)
        return true
    }
}
