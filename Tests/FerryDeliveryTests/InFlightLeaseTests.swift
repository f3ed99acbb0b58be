import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import Testing

/// Issue #16 item 1: one call that runs longer than the lease keeps its items, for any destination, and the
/// heartbeat that renews them never moves a test clock by itself.
@Suite("A call in flight keeps its lease")
struct InFlightLeaseTests {
    /// Holds a call until the test opens it.
    final class Gate: Sendable {
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation
        private let entered = FerryMutex(0)

        init() { (stream, continuation) = AsyncStream.makeStream() }

        /// How many calls are waiting or went through.
        var calls: Int { entered.withLock { $0 } }

        func wait() async {
            entered.withLock { $0 += 1 }
            Progress.shared.signal()
            for await _ in stream { return }
        }

        func open() { continuation.finish() }
    }

    @Test("one request held 20 s under a 6 s lease keeps its item; the heartbeat sets no deadline and ends with the lease")
    func longCallKeepsLease() async throws {
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock, progress: Progress.shared)
        let outbox = InMemoryOutbox()
        let gate = Gate()
        let destination = ScriptedDestination { _, _ in
            await gate.wait()
            return [ok]
        }
        let log = OutcomeLog()
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox,
            configuration: .init(concurrency: 1, batchLinger: .zero, leaseDuration: .seconds(6), outcomeHandler: log.handler),
            clock: tracked)
        try await pipeline.send(contentsOf: items(1))
        await waitUntil { gate.calls == 1 && tracked.watching == 1 }
        // The request is in flight and nothing sleeps on the clock: a test moving it to its next deadline finds none.
        #expect(clock.nextDeadline == nil)
        #expect(clock.sleeperCount == 0)
        let watching = tracked.watching == 1
        #expect(watching, "no heartbeat while the request is in flight")

        // 20 s pass during the one request, a second at a time; the heartbeat renews every 2 s (it is watching again
        // once it has renewed).
        for _ in 0..<20 {
            clock.advance(by: .seconds(1))
            if watching { await waitUntil { tracked.renewing == 0 && tracked.watching == 1 } }
        }
        // Another deliverer looking now finds the item still leased.
        let taken = await outbox.lease(limit: 10, at: clock.now, for: .seconds(6))
        #expect(taken.isEmpty, "the lease lapsed while the request was in flight")
        // (Had it lapsed, the item is this test's now: settle it, so the pipeline can shut down.)
        try await outbox.acknowledge(leased: taken)
        #expect(await outbox.counts() == OutboxCounts(pending: 0, leased: 1, dead: 0))

        gate.open()
        await waitUntil { log.count == 1 }
        // The heartbeat is cancelled and awaited with its lease: nothing is left watching the clock.
        await waitUntil { tracked.watching == 0 && tracked.renewing == 0 }
        #expect(clock.watcherCount == 0)
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 1)
        #expect(destination.attempts.count == 1)
    }
}
