import FerryCore
import FerryDelivery
import Foundation
import Testing

@Suite("InMemoryOutbox")
struct InMemoryOutboxTests {
    let now = Date(timeIntervalSince1970: 1_000)
    let failure = DeliveryFailure(status: 400, errorCode: "INVALID_FIELD", message: "No such column", retryability: .final)

    @Test("leases oldest first, up to the limit, and counts by state")
    func leasing() async {
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(5))
        let first = await outbox.lease(limit: 2, at: now, for: .seconds(60))
        #expect(first.map(\.id) == ["item-1", "item-2"])
        #expect(await outbox.counts() == OutboxCounts(pending: 3, leased: 2, dead: 0))
        let rest = await outbox.lease(limit: 10, at: now, for: .seconds(60))
        #expect(rest.map(\.id) == ["item-3", "item-4", "item-5"])
        #expect(await outbox.lease(limit: 10, at: now, for: .seconds(60)).isEmpty)
    }

    @Test("an id already present is not enqueued twice")
    func idempotentEnqueue() async {
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(2))
        await outbox.enqueue(items(3))
        #expect(await outbox.counts().pending == 3)
    }

    @Test("acknowledged items leave; expired leases come back")
    func leaseExpiry() async {
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(2))
        let leased = await outbox.lease(limit: 2, at: now, for: .seconds(60))
        await outbox.acknowledge([leased[0].id])
        #expect(await outbox.counts() == OutboxCounts(pending: 0, leased: 1, dead: 0))
        #expect(await outbox.nextAvailableDate() == now.addingTimeInterval(60))
        #expect(await outbox.lease(limit: 5, at: now.addingTimeInterval(59), for: .seconds(60)).isEmpty)
        let again = await outbox.lease(limit: 5, at: now.addingTimeInterval(60), for: .seconds(60))
        #expect(again.map(\.id) == ["item-2"])
        // The first holder's late acknowledgement of an item now leased by another is still honoured once.
        await outbox.acknowledge(["item-2"])
        #expect(await outbox.counts().outstanding == 0)
    }

    @Test("rescheduled items wait for their time")
    func reschedule() async {
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(1))
        var item = await outbox.lease(limit: 1, at: now, for: .seconds(60))[0]
        item.attempts = 1
        await outbox.reschedule(item, availableAt: now.addingTimeInterval(5))
        #expect(await outbox.nextAvailableDate() == now.addingTimeInterval(5))
        #expect(await outbox.lease(limit: 1, at: now.addingTimeInterval(4), for: .seconds(60)).isEmpty)
        let later = await outbox.lease(limit: 1, at: now.addingTimeInterval(5), for: .seconds(60))
        #expect(later.first?.attempts == 1)
    }

    @Test("dead letters keep their reason and can be replayed, all or some")
    func deadLetters() async {
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(3))
        for var item in await outbox.lease(limit: 3, at: now, for: .seconds(60)) {
            item.attempts = 1
            await outbox.deadLetter(item, failure: failure)
        }
        #expect(await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 3))
        let dead = await outbox.deadLetters(limit: 2)
        #expect(dead.map(\.item.id) == ["item-1", "item-2"])
        #expect(dead[0].failure == failure)
        #expect(await outbox.replayDeadLetters(["item-2"]) == 1)
        #expect(await outbox.counts() == OutboxCounts(pending: 1, leased: 0, dead: 2))
        let replayed = await outbox.lease(limit: 5, at: now, for: .seconds(60))
        #expect(replayed.map(\.id) == ["item-2"])
        #expect(replayed.first?.attempts == 0)
        #expect(await outbox.replayDeadLetters(nil) == 2)
        #expect(await outbox.counts() == OutboxCounts(pending: 2, leased: 1, dead: 0))
    }

    @Test("nothing pending means no next date; removeUndelivered hands back pending and leased items")
    func undelivered() async {
        let outbox = InMemoryOutbox()
        #expect(await outbox.nextAvailableDate() == nil)
        await outbox.enqueue(items(3))
        _ = await outbox.lease(limit: 1, at: now, for: .seconds(60))
        let handedBack = await outbox.removeUndelivered()
        #expect(handedBack.count == 3)
        #expect(await outbox.counts().outstanding == 0)
    }
}
