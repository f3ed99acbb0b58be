import FerryCore
import FerryDelivery
import FerryTesting
import SalesforceModels
import Foundation
import Testing

@Suite("DeliveryPipeline")
struct DeliveryPipelineTests {
    func makePipeline(
        _ destination: ScriptedDestination, clock: ManualClock, log: OutcomeLog,
        configure: (inout DeliveryPipeline.Configuration) -> Void = { _ in }
    ) -> DeliveryPipeline {
        // One deliverer unless a test asks for more: with a manual clock, idle deliverers' stale wake-up times
        // would otherwise be the clock's next deadline.
        var configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(random: { 0.5 }),
            outcomeHandler: log.handler)
        configure(&configuration)
        return DeliveryPipeline(destination: destination, transport: UnusedTransport(), configuration: configuration, clock: clock)
    }

    @Test("every item is delivered once and accounted for in the report")
    func deliversEverything() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        try await pipeline.send(contentsOf: items(100))
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 100)
        #expect(result.report.total == 100)
        #expect(result.report.attempts == 100)
        #expect(result.report.retries == 0)
        #expect(result.undelivered.isEmpty)
        #expect(log.count == 100)
        #expect(Set(log.outcomes.map(\.itemID)).count == 100)
        #expect(destination.attempts.flatMap { $0 }.count == 100)
        #expect(result.remaining == OutboxCounts(pending: 0, leased: 0, dead: 0))
        #expect(result.report.latency != nil)
    }

    @Test("an idle pipeline with a poll interval delivers items another process added to a shared outbox")
    func pollsSharedOutbox() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let shared = InMemoryOutbox()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        var configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero, outcomeHandler: log.handler, idlePollInterval: .seconds(2))
        configuration.retryPolicy = ExponentialBackoff(random: { 0.5 })
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: shared, configuration: configuration,
            clock: clock)
        try pipeline.start()
        await clock.waitForSleepers(count: 1)
        // Another instance writes to the shared outbox: nothing signals this pipeline.
        await shared.enqueue(items(3, prefix: "elsewhere"))
        #expect(clock.nextDeadline == clock.now.addingTimeInterval(2))
        clock.advance(by: .seconds(2))
        await waitUntil { log.count == 3 }
        #expect(Set(log.outcomes.map(\.itemID)) == ["elsewhere-1", "elsewhere-2", "elsewhere-3"])
        #expect(await shared.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
        _ = await pipeline.shutdown(within: .zero)
    }

    @Test("without a poll interval an idle pipeline waits for its own sends and sets no timer")
    func noPollByDefault() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        // The pipeline's own outbox, which another process also writes to.
        let shared = IdleReportingOutbox()
        var idles = shared.idles.makeAsyncIterator()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: shared,
            configuration: .init(concurrency: 1, batchLinger: .zero, outcomeHandler: log.handler), clock: clock)
        try pipeline.start()
        _ = await idles.next()  // the deliverer found the outbox empty and goes idle
        await shared.inner.enqueue(items(1, prefix: "elsewhere"))  // nothing signals this pipeline
        for _ in 0..<100 { await Task.yield() }
        #expect(clock.nextDeadline == nil)  // no timer to look again
        #expect(shared.leases == 1)
        #expect(log.count == 0)
        // Its own send wakes it, and it then delivers what it finds, the other process's item included.
        try await pipeline.send(DeliveryItem(id: "own", payload: ["n": 1]))
        let result = await pipeline.shutdown()
        #expect(Set(log.outcomes.map(\.itemID)) == ["elsewhere-1", "own"])
        #expect(result.report.delivered == 2)
    }

    @Test("exactly the configured concurrency of requests is in flight at once, never more")
    func boundedConcurrency() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        // The first requests wait at the gate until 8 are in flight together: a handshake, not a timed guess.
        // Fewer than 8 deliverers would never open it (its 20 s safety net then opens it, and the peak is short).
        let gate = InFlightGate(target: 8)
        let destination = ScriptedDestination { batch, _ in
            await gate.enter()
            await gate.leave()
            return batch.map { _ in ok }
        }
        let pipeline = makePipeline(destination, clock: clock, log: log) { $0.concurrency = 8 }
        try await pipeline.send(contentsOf: items(400))
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 400)
        #expect(await gate.peak == 8)
    }

    @Test("a transient failure is retried after the backoff with the same item id")
    func retriesTransient() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, call in call == 1 ? [transient()] : [ok] }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        let start = clock.now
        try await pipeline.send(DeliveryItem(id: "nps-1", payload: ["score": 9]))
        await drive(clock) { log.count == 1 }
        #expect(destination.attempts.map { $0.map(\.id) } == [["nps-1"], ["nps-1"]])
        // Full jitter with random 0.5: half of the 0.5 s base.
        #expect(clock.now.timeIntervalSince(start) >= 0.25)
        let outcome = try #require(log.outcomes.first)
        #expect(outcome.status == .delivered)
        #expect(outcome.attempts == 2)
        let report = await pipeline.shutdown().report
        #expect(report.attempts == 2)
        #expect(report.retries == 1)
        #expect(report.delivered == 1)
    }

    @Test("a final failure ends after one attempt, with its reason, in the dead letters")
    func finalFailure() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let outbox = InMemoryOutbox()
        let destination = ScriptedDestination { _, _ in [final()] }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox,
            configuration: .init(batchLinger: .zero, outcomeHandler: log.handler), clock: clock)
        try await pipeline.send(DeliveryItem(id: "bad-1", payload: [:], sequence: 7))
        let result = await pipeline.shutdown()
        #expect(destination.attempts.count == 1)
        let outcome = try #require(log.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(outcome.gaveUp == false)
        #expect(outcome.sequence == 7)
        #expect(outcome.failure?.errorCode == "REQUIRED_FIELD_MISSING")
        #expect(result.report.failed == 1)
        #expect(result.report.failuresByCode == ["REQUIRED_FIELD_MISSING": 1])
        #expect(result.report.failures.first?.sequence == 7)
        let dead = await outbox.deadLetters(limit: 10)
        #expect(dead.map(\.item.id) == ["bad-1"])
        #expect(dead.first?.failure.message.contains("Required fields") == true)
    }

    @Test("retries stop after the policy's attempts and the item fails as 'gave up'")
    func givesUp() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { _, _ in [transient("UNABLE_TO_LOCK_ROW", status: 400)] }
        let pipeline = makePipeline(destination, clock: clock, log: log) {
            $0.retryPolicy = ExponentialBackoff(maximumAttempts: 3, random: { 0.5 })
            $0.circuitBreaker = .init(failureThreshold: 100)
        }
        try await pipeline.send(DeliveryItem(id: "locked", payload: [:]))
        await drive(clock) { log.count == 1 }
        #expect(destination.attempts.count == 3)
        let outcome = try #require(log.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(outcome.gaveUp)
        #expect(outcome.attempts == 3)
        _ = await pipeline.shutdown()
    }

    @Test("Retry-After sets the pause")
    func retryAfter() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { _, call in call == 1 ? [transient(retryAfter: .seconds(42))] : [ok] }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        let start = clock.now
        try await pipeline.send(DeliveryItem(id: "x", payload: [:]))
        await drive(clock) { log.count == 1 }
        #expect(clock.now.timeIntervalSince(start) == 42)
        _ = await pipeline.shutdown()
    }

    @Test("the circuit opens after consecutive transient failures, items wait, a probe closes it")
    func circuitBreaker() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let orgDown = FerryMutex(true)
        let destination = ScriptedDestination { batch, _ in
            orgDown.withLock { $0 } ? batch.map { _ in transient() } : batch.map { _ in ok }
        }
        let pipeline = makePipeline(destination, clock: clock, log: log) {
            $0.concurrency = 1
            $0.circuitBreaker = .init(failureThreshold: 3, cooldown: .seconds(30))
            $0.retryPolicy = ExponentialBackoff(maximumAttempts: 8, random: { 0 })
        }
        let events = pipeline.events()
        try await pipeline.send(contentsOf: items(3))
        // Three transient failures open the circuit (no clock time is needed: the backoff is zero).
        await waitUntil { destination.attempts.count >= 3 }
        var iterator = events.makeAsyncIterator()
        var opened = false
        while let event = await iterator.next() {
            if event.kind == .circuitOpened {
                opened = true
                break
            }
        }
        #expect(opened)
        let attemptsWhenOpened = destination.attempts.count
        // While open, nothing is sent, even though the retries are due at once (random 0 → no backoff).
        clock.advance(by: .seconds(29))
        for _ in 0..<50 { await Task.yield() }
        #expect(destination.attempts.count == attemptsWhenOpened)
        orgDown.withLock { $0 = false }
        await drive(clock) { log.count == 3 }
        #expect(log.outcomes.allSatisfy { $0.status == .delivered })
        var closed = false
        while let event = await iterator.next() {
            if event.kind == .circuitClosed {
                closed = true
                break
            }
        }
        #expect(closed)
        _ = await pipeline.shutdown()
    }

    @Test("send suspends while the queue is full and resumes when an item finishes")
    func backpressure() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let gate = AsyncGate()
        let destination = ScriptedDestination { batch, _ in
            await gate.wait()
            return batch.map { _ in ok }
        }
        let pipeline = makePipeline(destination, clock: clock, log: log) {
            $0.queueCapacity = 2
            $0.concurrency = 1
        }
        try await pipeline.send(contentsOf: items(2))
        await gate.waitForWaiters(count: 1)  // the first request is held: both places are taken
        let accepted = FerryMutex(false)
        let third = Task {
            try await pipeline.send(DeliveryItem(id: "third", payload: [:]))
            accepted.withLock { $0 = true }
        }
        for _ in 0..<100 { await Task.yield() }
        let counts = try await pipeline.outboxCounts()
        #expect(counts.outstanding == 2)  // the third is not accepted yet
        #expect(!accepted.withLock { $0 })
        await gate.open()
        try await third.value
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 3)
    }

    @Test("a cancelled send while the queue is full accepts nothing")
    func cancelledSend() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let gate = AsyncGate()
        let destination = ScriptedDestination { batch, _ in
            await gate.wait()
            return batch.map { _ in ok }
        }
        let pipeline = makePipeline(destination, clock: clock, log: log) { $0.queueCapacity = 1 }
        try await pipeline.send(DeliveryItem(id: "first", payload: [:]))
        await gate.waitForWaiters(count: 1)  // the first request is held: the one place is taken
        let second = Task { try await pipeline.send(DeliveryItem(id: "second", payload: [:])) }
        for _ in 0..<100 { await Task.yield() }
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
        await gate.open()
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 1)
        #expect(log.outcomes.map(\.itemID) == ["first"])
    }

    @Test("shutdown after the deadline hands back what was not delivered")
    func shutdownHandsBack() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { _, _ in [transient()] }
        let pipeline = makePipeline(destination, clock: clock, log: log) {
            $0.retryPolicy = ExponentialBackoff(base: .seconds(100), cap: .seconds(100), random: { 0.5 })
            $0.circuitBreaker = .init(failureThreshold: 1000)
        }
        try await pipeline.send(contentsOf: items(3))
        await waitUntil { destination.attempts.count >= 3 }
        let shutdown = Task { await pipeline.shutdown(within: .seconds(10)) }
        // Wait until the shutdown deadline (10 s) is the clock's earliest; the retries are 50 s away.
        let deadline = clock.now.addingTimeInterval(10)
        await clock.waitForSleepers(count: 2)  // the idle deliverer and the shutdown's deadline
        #expect(clock.nextDeadline == deadline)
        clock.advance(by: .seconds(10))
        let result = await shutdown.value
        #expect(Set(result.undelivered.map(\.id)) == ["item-1", "item-2", "item-3"])
        #expect(result.undelivered.allSatisfy { $0.attempts == 1 })
        #expect(result.report.total == 0)
        await #expect(throws: DeliveryError.shutDown) { try await pipeline.send(DeliveryItem(id: "late", payload: [:])) }
    }

    @Test("batches fill up to the destination's batch size")
    func batching() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination(batchSize: 200) { batch, _ in batch.map { _ in ok } }
        let pipeline = makePipeline(destination, clock: clock, log: log) { $0.concurrency = 1 }
        try await pipeline.send(contentsOf: items(450))
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 450)
        #expect(destination.attempts.map(\.count) == [200, 200, 50])
    }

    @Test("the same id sent twice while on its way is one item")
    func duplicateIDs() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination(batchSize: 10) { batch, _ in batch.map { _ in ok } }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        try await pipeline.send(contentsOf: [DeliveryItem(id: "a", payload: [:]), DeliveryItem(id: "a", payload: [:])])
        let result = await pipeline.shutdown()
        #expect(result.report.delivered == 1)
        #expect(destination.attempts.flatMap { $0 }.map(\.id) == ["a"])
    }

    @Test("a destination that returns the wrong number of results fails the batch with a clear reason")
    func contractViolation() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination(batchSize: 10) { _, _ in [ok] }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        try await pipeline.send(contentsOf: items(3))
        let result = await pipeline.shutdown()
        #expect(result.report.failed == 3)
        #expect(result.report.failuresByCode == ["DESTINATION_CONTRACT": 3])
        #expect(result.report.failures.first?.failure?.message.contains("one result per item") == true)
    }

    @Test("aborted and unrenderable items are recorded without being sent")
    func recordedOutcomes() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = makePipeline(destination, clock: clock, log: log)
        pipeline.record(.aborted(itemID: "skip", sequence: 1, reason: "no rating"))
        let item = DeliveryItem(id: "broken", payload: .null, sequence: 2)
        pipeline.record(.failed(item, DeliveryFailure(status: nil, errorCode: "TEMPLATE_ERROR", message: "bad", retryability: .final), gaveUp: false))
        let report = await pipeline.shutdown().report
        #expect(report.aborted == 1)
        #expect(report.failed == 1)
        #expect(report.attempts == 0)
        #expect(destination.attempts.isEmpty)
    }

    @Test("a rate limit spaces requests on the clock")
    func rateLimit() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = makePipeline(destination, clock: clock, log: log) {
            $0.requestsPerSecond = 2
            $0.concurrency = 1
        }
        let start = clock.now
        try await pipeline.send(contentsOf: items(6))
        await drive(clock) { log.count == 6 }
        // A burst of 2, then 4 more at 2 per second.
        #expect(clock.now.timeIntervalSince(start) == 2)
        _ = await pipeline.shutdown()
    }

    @Test("the report is Codable")
    func reportCodable() throws {
        var report = DeliveryReport()
        report.delivered = 3
        report.failuresByCode = ["X": 1]
        report.apiUsage = APIUsage(apiUsage: .init(used: 18, limit: 5000))
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(DeliveryReport.self, from: data) == report)
    }
}

/// Blocks callers until opened.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { continuation in
            waiters.append(continuation)
            let ready = watchers.filter { $0.count <= waiters.count }
            watchers.removeAll { $0.count <= waiters.count }
            for watcher in ready { watcher.continuation.resume() }
        }
    }

    /// Returns once `count` callers are held at the gate: a test knows the code under test got there.
    func waitForWaiters(count: Int = 1) async {
        if waiters.count >= count { return }
        await withCheckedContinuation { watchers.append((count, $0)) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }
}

/// An outbox that reports each `nextAvailableDate` call (a deliverer asks just before it idles), so a test can
/// await the moment a deliverer found nothing to do instead of sleeping.
final class IdleReportingOutbox: Outbox {
    let inner = InMemoryOutbox()
    let idles: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let leaseCalls = FerryMutex(0)

    init() { (idles, continuation) = AsyncStream.makeStream(of: Void.self) }

    /// How many times a deliverer leased.
    var leases: Int { leaseCalls.withLock { $0 } }

    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> { await inner.enqueue(items) }
    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        leaseCalls.withLock { $0 += 1 }
        return await inner.lease(limit: limit, at: now, for: duration)
    }
    func acknowledge(_ ids: [String]) async throws { await inner.acknowledge(ids) }
    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        await inner.reschedule(item, availableAt: date)
    }
    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws {
        await inner.deadLetter(item, failure: failure)
    }
    var capabilities: OutboxCapabilities { inner.capabilities }
    func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> {
        await inner.renew(ids, at: now, for: duration)
    }
    func removeUndelivered() async throws -> [DeliveryItem] { await inner.removeUndelivered() }
    func counts() async throws -> OutboxCounts { await inner.counts() }
    func nextAvailableDate() async throws -> Date? {
        let next = await inner.nextAvailableDate()
        continuation.yield()
        return next
    }
}
