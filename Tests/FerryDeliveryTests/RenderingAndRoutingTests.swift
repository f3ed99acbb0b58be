import FerryCore
import FerryDelivery
import FerryTemplating
import FerryTesting
import Foundation
import SalesforceModels
import Testing

@Suite("Routing")
struct RenderingAndRoutingTests {

    @Test("routing splits a batch by key, chunks each part, and fails unknown keys")
    func routing() async throws {
        let nps = ScriptedDestination(batchSize: 2) { batch, _ in batch.map { _ in ok } }
        let leads = ScriptedDestination(batchSize: 1) { batch, _ in batch.map { _ in ok } }
        let router = RoutingDestination(routes: ["nps": nps, "lead": leads], selector: .payloadField("recordType"))
        #expect(router.maximumBatchSize == 2)
        let batch = [
            Fixture.item("1", ["recordType": "nps"]), Fixture.item("2", ["recordType": "lead"]),
            Fixture.item("3", ["recordType": "nps"]), Fixture.item("4", ["recordType": "nps"]),
            Fixture.item("5", ["recordType": "survey"]), Fixture.item("6", [:]),
        ]
        let results = await router.deliver(batch, using: UnusedTransport())
        #expect(nps.attempts.map { $0.map(\.id) } == [["1", "3"], ["4"]])
        #expect(leads.attempts.map { $0.map(\.id) } == [["2"]])
        guard case .failed(let unknown) = results[4], case .failed(let missing) = results[5] else {
            Issue.record("expected failures"); return
        }
        #expect(unknown.errorCode == "NO_ROUTE" && unknown.message.contains("'survey'"))
        #expect(missing.message.contains("no routing key"))
        let withFallback = RoutingDestination(routes: ["nps": nps], fallback: leads)
        _ = await withFallback.deliver([DeliveryItem(id: "7", payload: [:], route: "other")], using: UnusedTransport())
        #expect(leads.attempts.last?.map(\.id) == ["7"])
    }

    @Test("items the outbox already knows take no place in the queue")
    func knownItemsReleasePermits() async throws {
        let outbox = InMemoryOutbox()
        let log = OutcomeLog()
        let destination = ScriptedDestination { _, _ in [final()] }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox,
            configuration: .init(queueCapacity: 1, batchLinger: .zero, outcomeHandler: log.handler), clock: ManualClock())
        try await pipeline.send(DeliveryItem(id: "dead", payload: [:]))
        // The outbox holds the dead letter before the outcome is reported.
        await waitUntil { log.count == 1 }
        #expect(await outbox.counts().dead == 1)
        // Sent again while dead: not re-added, and the single queue place is free for the next item.
        try await pipeline.send(DeliveryItem(id: "dead", payload: [:]))
        try await pipeline.send(DeliveryItem(id: "next", payload: [:]))
        let result = await pipeline.shutdown()
        #expect(result.report.failed == 2)
        #expect(destination.attempts.count == 2)
    }
}
