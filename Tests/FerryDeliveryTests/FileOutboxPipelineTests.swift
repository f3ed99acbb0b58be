import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import Testing

/// Holds a reference weakly, to see when the pipeline has let go of its outbox.
final class WeakReference<Object: AnyObject & Sendable>: Sendable {
    private let storage: FerryMutex<Box>

    private struct Box {
        weak var object: Object?
    }

    init(_ object: Object) { storage = FerryMutex(Box(object: object)) }

    var isReleased: Bool { storage.withLock { $0.object == nil } }
}

/// A pipeline's hold on a file outbox: when the pipeline lets go of it, it drops the outbox first and then signals
/// ``Progress``, so a test waits for the outbox's release on that signal instead of polling a weak reference.
final class ReleaseSignallingOutbox: Outbox {
    private let held: FerryMutex<FileOutbox?>
    let capabilities: OutboxCapabilities

    init(_ outbox: FileOutbox) {
        held = FerryMutex(outbox)
        capabilities = outbox.capabilities
    }

    deinit {
        held.withLock { $0 = nil }
        Progress.shared.signal()
    }

    /// The outbox; only `deinit` lets go of it, so a call always finds it.
    private var outbox: FileOutbox {
        get throws {
            guard let outbox = held.withLock({ $0 }) else { throw CancellationError() }
            return outbox
        }
    }

    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> { try await outbox.enqueue(items) }
    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        try await outbox.lease(limit: limit, at: now, for: duration)
    }
    func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> {
        try await outbox.renew(ids, at: now, for: duration)
    }
    func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) async throws -> Set<String> {
        try await outbox.renew(leased: items, at: now, for: duration)
    }
    func acknowledge(_ ids: [String]) async throws { try await outbox.acknowledge(ids) }
    func acknowledge(leased items: [DeliveryItem]) async throws { try await outbox.acknowledge(leased: items) }
    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        try await outbox.reschedule(item, availableAt: date)
    }
    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws {
        try await outbox.deadLetter(item, failure: failure)
    }
    func counts() async throws -> OutboxCounts { try await outbox.counts() }
    func nextAvailableDate() async throws -> Date? { try await outbox.nextAvailableDate() }
    func removeUndelivered() async throws -> [DeliveryItem] { try await outbox.removeUndelivered() }
}

@Suite("DeliveryPipeline over a FileOutbox")
struct FileOutboxPipelineTests {
    func configuration(_ log: OutcomeLog) -> DeliveryPipeline.Configuration {
        DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(random: { 0.5 }),
            outcomeHandler: log.handler)
    }

    @Test("items accepted before a crash are delivered after the restart, and delivered ones are not sent again")
    func deliversAfterCrash() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let clock = ManualClock()
        let sent = items(40, prefix: "nps")

        // Run 1: odd lines are delivered; even lines fail transiently and wait for a retry that never comes,
        // because the process "crashes" (the pipeline and outbox are dropped without shutdown or close).
        let firstDestination = ScriptedDestination { batch, _ in
            batch.map { ($0.sequence ?? 0) % 2 == 1 ? ok : transient() }
        }
        let released: WeakReference<FileOutbox>
        do {
            let outbox = try FileOutbox(directory: directory.url)
            released = WeakReference(outbox)
            let log = OutcomeLog()
            let pipeline = DeliveryPipeline(
                destination: firstDestination, transport: UnusedTransport(), outbox: ReleaseSignallingOutbox(outbox),
                configuration: configuration(log), clock: clock)
            // A retry is scheduled in the outbox before its event: each event wakes the wait below.
            let events = pipeline.events()
            let forward = Task { for await _ in events { Progress.shared.signal() } }
            defer { forward.cancel() }
            try await pipeline.send(contentsOf: sent)
            await waitUntil { (try? await outbox.counts()) == OutboxCounts(pending: 20, leased: 0, dead: 0) }
            #expect(log.outcomes.filter { $0.status == .delivered }.count == 20)
        }
        await waitUntil { released.isReleased }
        #expect(released.isReleased)

        // Run 2: a new process opens the same directory and delivers what was left.
        // Opening waits for the dropped outbox's writer to release the directory (a handshake, no retry).
        let outbox = try FileOutbox(directory: directory.url)
        #expect(outbox.recoveryReport.counts == OutboxCounts(pending: 20, leased: 0, dead: 0))
        let log = OutcomeLog()
        let secondDestination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = DeliveryPipeline(
            destination: secondDestination, transport: UnusedTransport(), outbox: outbox,
            configuration: configuration(log), clock: clock)
        try pipeline.start()
        await drive(clock) { log.count == 20 }
        let result = await pipeline.shutdown()
        #expect(result.remaining == OutboxCounts(pending: 0, leased: 0, dead: 0))

        let firstDelivered = Set(firstDestination.attempts.joined().filter { ($0.sequence ?? 0) % 2 == 1 }.map(\.id))
        let secondSent = secondDestination.attempts.joined().map(\.id)
        #expect(secondSent.count == 20)
        #expect(Set(secondSent).count == 20)
        #expect(Set(secondSent).isDisjoint(with: firstDelivered))
        #expect(firstDelivered.union(secondSent) == Set(sent.map(\.id)))
        // The attempt made before the crash counts: the retry after it is attempt 2.
        #expect(log.outcomes.allSatisfy { $0.status == .delivered && $0.attempts == 2 })
        try await outbox.close()
    }

    @Test("items in flight when the pipeline is dropped are delivered after the restart with the same ids")
    func inFlightAtCrash() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let clock = ManualClock()
        let gate = Latch()
        // Run 1: the destination does not answer until the pipeline is dropped mid-request; the deliverer hands
        // the items back (a real crash would leave them leased: recovery releases those, see FileOutboxTests).
        let stuck = ScriptedDestination { batch, _ in
            await gate.wait()
            return batch.map { _ in transient() }
        }
        let released: WeakReference<FileOutbox>
        do {
            let outbox = try FileOutbox(directory: directory.url)
            released = WeakReference(outbox)
            let pipeline = DeliveryPipeline(
                destination: stuck, transport: UnusedTransport(), outbox: ReleaseSignallingOutbox(outbox),
                configuration: configuration(OutcomeLog()), clock: clock)
            try await pipeline.send(contentsOf: items(3, prefix: "flight"))
            await waitUntil { stuck.attempts.count == 1 }
            #expect(try await outbox.counts().leased == 3)
        }
        await waitUntil { released.isReleased }
        gate.open()

        let outbox = try FileOutbox(directory: directory.url)
        #expect(outbox.recoveryReport.counts == OutboxCounts(pending: 3, leased: 0, dead: 0))
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox,
            configuration: configuration(log), clock: clock)
        try pipeline.start()
        await drive(clock) { log.count == 3 }
        _ = await pipeline.shutdown()
        let delivered = destination.attempts.joined().map(\.id)
        #expect(delivered.sorted() == ["flight-1", "flight-2", "flight-3"])
        #expect(log.outcomes.allSatisfy { $0.status == .delivered })
        try await outbox.close()
    }
}
