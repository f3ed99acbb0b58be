import Ferry
import FerryServiceLifecycle
import FerryTesting
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite("DeliveryService: a pipeline in a ServiceGroup, drained on graceful shutdown")
struct DeliveryServiceTests {
    static func group(_ service: DeliveryService) -> ServiceGroup {
        ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
    }

    @Test("a graceful shutdown delivers everything accepted, then the service returns with the report")
    func drainsOnGracefulShutdown() async throws {
        let scenario = try Scenario()
        // The first attempts answer 503: items wait in backoff on the manual clock when the shutdown begins, so
        // only a drain that keeps delivering past the shutdown gets them in.
        scenario.org.inject(.sequence([.serverUnavailable, .serverUnavailable, .serverUnavailable], on: .apexREST))
        let pipeline = try scenario.pipeline()
        let results = ResultBox()
        let (logger, logs) = CapturingLogHandler.logger()
        let service = DeliveryService(
            pipeline: pipeline, drainDeadline: .seconds(30), logger: logger, onShutdown: { results.set($0) })
        let group = Self.group(service)
        let running = Task { try await group.run() }
        try await pipeline.send(contentsOf: Scenario.items(1...5))
        await waitUntil { scenario.org.counters.faultsByKind["SERVER_UNAVAILABLE"] == 3 }
        #expect(pipeline.report.delivered < 5)
        let drainEnds = scenario.clock.now.addingTimeInterval(30)
        await group.triggerGracefulShutdown()
        // The drain may wait on the clock for retries: drive it until the service returned, never to the drain's
        // deadline (the retries' backoffs are a few seconds).
        await drive(scenario.clock, notBeyond: drainEnds.addingTimeInterval(-1)) { results.value != nil }
        try await running.value
        let result = try #require(results.value)
        #expect(result.report.delivered == 5)
        #expect(result.remaining?.outstanding == 0)
        #expect(scenario.org.records(of: Scenario.npsObject).count == 5)
        let stopped = try #require(logs.all.first { $0.message == "ferry.service.stopped" })
        #expect(stopped.metadata["delivered"] == "5")
        #expect(stopped.level == .info)
    }

    @Test("what is not delivered by the drain deadline stays in the durable outbox and is delivered after a restart")
    func deadlineLeavesRestInOutbox() async throws {
        let scenario = try Scenario()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-service-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every Apex call fails until the faults are removed: nothing can be delivered before the deadline.
        scenario.org.inject(.everyNthCall(1, .serverUnavailable, on: .apexREST))
        let outbox = try FileOutbox(directory: directory)
        let pipeline = try scenario.pipeline(outbox: outbox, maximumAttempts: 100)
        let results = ResultBox()
        let (logger, logs) = CapturingLogHandler.logger()
        let service = DeliveryService(
            pipeline: pipeline, drainDeadline: .seconds(5), logger: logger,
            onShutdown: { result in
                results.set(result)
                try? await outbox.close()
            })
        let group = Self.group(service)
        let running = Task { try await group.run() }
        try await pipeline.send(contentsOf: Scenario.items(1...4))
        await group.triggerGracefulShutdown()
        await drive(scenario.clock) { results.value != nil }
        try await running.value
        let result = try #require(results.value)
        #expect(result.report.delivered == 0)
        #expect(result.remaining?.outstanding == 4)
        #expect(logs.all.first { $0.message == "ferry.service.stopped" }?.level == .notice)
        #expect(logs.all.first { $0.message == "ferry.service.stopped" }?.metadata["outbox_pending"] == "4")

        // The restart: the same outbox, the org healthy again.
        scenario.org.removeAllFaults()
        let reopened = try FileOutbox(directory: directory)
        let restarted = try scenario.pipeline(outbox: reopened)
        let again = ResultBox()
        let secondGroup = Self.group(DeliveryService(pipeline: restarted, onShutdown: { again.set($0) }))
        let secondRun = Task { try await secondGroup.run() }
        await drive(scenario.clock) { restarted.report.delivered == 4 }
        await secondGroup.triggerGracefulShutdown()
        await drive(scenario.clock) { again.value != nil }
        try await secondRun.value
        try await reopened.close()
        let ids = scenario.org.records(of: Scenario.npsObject).compactMap { $0["CleverTap__userId__c"]?.stringValue }
        #expect(ids.sorted() == ["u1", "u2", "u3", "u4"])
    }

    @Test("cancellation stops the service at once without waiting for the deadline")
    func cancellation() async throws {
        let scenario = try Scenario()
        scenario.org.inject(.everyNthCall(1, .serverUnavailable, on: .apexREST))
        let pipeline = try scenario.pipeline(maximumAttempts: 100)
        let results = ResultBox()
        let service = DeliveryService(pipeline: pipeline, drainDeadline: .seconds(3600), onShutdown: { results.set($0) })
        let running = Task { try await service.run() }
        try await pipeline.send(contentsOf: Scenario.items(1...2))
        running.cancel()
        try await running.value
        let result = try #require(results.value)
        #expect(result.report.delivered == 0)
        #expect(result.undelivered.count == 2, "an in-memory outbox hands the items back")
    }
}

/// Keeps the shutdown result the service hands over.
final class ResultBox: Sendable {
    private let storage = FerryMutex<DeliveryPipeline.ShutdownResult?>(nil)
    func set(_ result: DeliveryPipeline.ShutdownResult) { storage.withLock { $0 = result } }
    var value: DeliveryPipeline.ShutdownResult? { storage.withLock { $0 } }
}
