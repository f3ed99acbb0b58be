import FerryCore
import FerryDelivery
import Foundation
import Testing

/// An outbox whose `acknowledge` fails the first `failures` times (and `enqueue` the first `enqueueFailures`
/// times), to provoke outbox errors.
final class FailingAcknowledgeOutbox: Outbox {
    struct Refused: Error, Equatable, CustomStringConvertible {
        let call: Int
        var description: String { "disk full (call \(call))" }
    }

    private let inner = InMemoryOutbox()
    private let remaining: FerryMutex<Int>
    private let calls = FerryMutex(0)
    private let enqueueRemaining: FerryMutex<Int>

    init(failures: Int, enqueueFailures: Int = 0) {
        remaining = FerryMutex(failures)
        enqueueRemaining = FerryMutex(enqueueFailures)
    }

    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> {
        let refuse = enqueueRemaining.withLock { remaining -> Bool in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if refuse { throw Refused(call: 0) }
        return await inner.enqueue(items)
    }
    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        await inner.lease(limit: limit, at: now, for: duration)
    }
    func acknowledge(_ ids: [String]) async throws {
        let call = calls.withLock { calls -> Int in
            calls += 1
            return calls
        }
        let refuse = remaining.withLock { remaining -> Bool in
            defer { remaining = max(0, remaining - 1) }
            return remaining > 0
        }
        if refuse { throw Refused(call: call) }
        await inner.acknowledge(ids)
    }
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
    func nextAvailableDate() async throws -> Date? { await inner.nextAvailableDate() }
}

@Suite("DeliveryEvent")
struct DeliveryEventTests {
    /// Runs `send` on a one-deliverer pipeline, drives the clock until `outcomes` outcomes arrived, shuts down and
    /// returns every event (the stream ends at shutdown).
    func events(
        destination: ScriptedDestination, outbox: any Outbox = InMemoryOutbox(), outcomes: Int,
        send: (DeliveryPipeline) async throws -> Void
    ) async throws -> [DeliveryEvent] {
        let clock = ManualClock()
        let log = OutcomeLog()
        let configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(maximumAttempts: 2, random: { 0.5 }),
            outcomeHandler: log.handler)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox, configuration: configuration,
            clock: clock)
        let stream = pipeline.events()
        let collector = Task {
            var events: [DeliveryEvent] = []
            for await event in stream { events.append(event) }
            return events
        }
        try await send(pipeline)
        await drive(clock) { log.count == outcomes }
        _ = await pipeline.shutdown(within: .zero)
        return await collector.value
    }

    @Test("a retried then failed item reports its attempts, retry and outcome in structured fields")
    func retryAndFailure() async throws {
        let destination = ScriptedDestination { _, _ in [transient("SERVER_UNAVAILABLE", status: 503)] }
        let events = try await events(destination: destination, outcomes: 1) {
            try await $0.send(DeliveryItem(id: "nps-1", payload: ["score": 9]))
        }
        #expect(events.map(\.kind) == [
            .attempt, .attemptCompleted, .retryScheduled, .attempt, .attemptCompleted, .failed,
        ])
        let attempts = events.filter { $0.kind == .attempt }
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.allSatisfy { $0.itemIDs == ["nps-1"] && $0.itemID == "nps-1" })
        #expect(attempts.allSatisfy { $0.destination == "ScriptedDestination" })

        let completed = try #require(events.first { $0.kind == .attemptCompleted })
        #expect(completed.status == 503)
        #expect(completed.errorCode == "SERVER_UNAVAILABLE")
        #expect(completed.latency == .zero)  // the manual clock did not move during the request

        let retry = try #require(events.first { $0.kind == .retryScheduled })
        #expect(retry.itemID == "nps-1")
        #expect(retry.attempt == 1)
        #expect(retry.status == 503)
        #expect(retry.errorCode == "SERVER_UNAVAILABLE")
        #expect(retry.failure?.retryability == .transient)
        #expect((retry.delay ?? .zero) > .zero)

        let failed = try #require(events.last)
        #expect(failed.kind.isOutcome)
        #expect(failed.name == "ferry.delivery.failed")
        #expect(failed.outcome?.status == .failed)
        #expect(failed.outcome?.gaveUp == true)
        #expect(failed.attempt == 2)
        #expect(failed.errorCode == "SERVER_UNAVAILABLE")
        #expect(failed.date > retry.date)  // the retry waited on the clock
    }

    @Test("a delivered item's event carries its receipt status and its latency from acceptance")
    func delivered() async throws {
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let events = try await events(destination: destination, outcomes: 2) {
            try await $0.send(contentsOf: items(2))
        }
        let delivered = events.filter { $0.kind == .delivered }
        #expect(delivered.map(\.itemID) == ["item-1", "item-2"])
        #expect(delivered.allSatisfy { $0.status == 201 && $0.errorCode == nil && $0.latency == .zero })
        #expect(delivered.allSatisfy { $0.outcome?.receipt?.salesforceID == "a01" })
        let requests = events.filter { $0.kind == .attemptCompleted }
        #expect(requests.map(\.itemID) == ["item-1", "item-2"])
        #expect(requests.allSatisfy { $0.status == 201 && $0.errorCode == nil && $0.failure == nil })
        #expect(!events.contains { $0.kind == .retryScheduled || $0.kind == .failed })
    }

    @Test("an outbox error reaches the event stream as the error value the outbox threw")
    func outboxErrorAsValue() async throws {
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let outbox = FailingAcknowledgeOutbox(failures: 1)
        let events = try await events(destination: destination, outbox: outbox, outcomes: 1) {
            try await $0.send(DeliveryItem(id: "nps-1", payload: ["score": 9]))
        }
        let error = try #require(events.first { $0.kind == .outboxError })
        #expect(error.error as? FailingAcknowledgeOutbox.Refused == FailingAcknowledgeOutbox.Refused(call: 1))
        #expect(error.itemIDs == ["nps-1"])
        #expect("\(error)".contains("disk full (call 1)"))
        // The item stayed leased, came back when its lease expired, and was delivered then.
        #expect(events.last?.kind == .delivered)
    }

    @Test("an item the outbox cannot store is refused with the outbox's error as a value, and its place is freed")
    func outboxRefusesItem() async throws {
        let clock = ManualClock()
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(),
            outbox: FailingAcknowledgeOutbox(failures: 0, enqueueFailures: 1),
            configuration: .init(concurrency: 1, queueCapacity: 1, batchLinger: .zero, outcomeHandler: log.handler),
            clock: clock)
        let error = await #expect(throws: DeliveryError.self) {
            try await pipeline.send(DeliveryItem(id: "nps-1", payload: ["score": 9]))
        }
        #expect(error?.underlyingError as? FailingAcknowledgeOutbox.Refused == FailingAcknowledgeOutbox.Refused(call: 0))
        #expect(error?.description.contains("disk full (call 0)") == true)
        #expect(error?.description.contains("send it again") == true)
        // The refused item held no place in the queue of one: the next send is accepted and delivered.
        try await pipeline.send(DeliveryItem(id: "nps-2", payload: ["score": 9]))
        await drive(clock) { log.count == 1 }
        #expect(log.outcomes.map(\.itemID) == ["nps-2"])
        _ = await pipeline.shutdown(within: .zero)
    }

    @Test("every kind has a distinct constant name and a short description")
    func names() {
        let names = DeliveryEvent.Kind.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.hasPrefix("ferry.delivery.") })
        #expect(DeliveryEvent.Kind.retryScheduled.name == "ferry.delivery.retry_scheduled")
        #expect(DeliveryEvent.Kind.retryScheduled.description == "retryScheduled")
        #expect(DeliveryEvent.Kind.all.filter(\.isOutcome) == [.delivered, .failed, .aborted])
    }

    @Test("the description lists the fields that are set, never a payload")
    func description() {
        let event = DeliveryEvent(
            kind: .retryScheduled, date: Date(timeIntervalSince1970: 0), itemIDs: ["nps-1"], attempt: 2,
            status: 503, errorCode: "SERVER_UNAVAILABLE", delay: .seconds(2))
        #expect(event.description == "retryScheduled item=nps-1 attempt=2 status=503 code=SERVER_UNAVAILABLE delay=2.0 seconds")
    }
}
