import FerryCore
import FerryDelivery
import FerryTemplating
import FerryTesting
import Foundation
import SalesforceModels
import Testing

@Suite("Rendering contexts and routing")
struct RenderingAndRoutingTests {
    static let nps = #"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}{% if Event["User Rating"] == nil %}{% abort "no rating" %}{% endif %}"#

    @Test("a template renders each context; aborts and template errors are recorded, not sent")
    func templateRendering() async throws {
        let log = OutcomeLog()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let template = try PayloadTemplate(Self.nps)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), renderer: TemplatePayloadRenderer(template),
            configuration: .init(batchLinger: .zero, outcomeHandler: log.handler), clock: ManualClock())
        let sent = try await pipeline.send(
            context: ["Profile": ["Identity": "u-\"1\"\n"], "Event": ["User Rating": 9]], id: "line-1", sequence: 1)
        #expect(sent == .accepted)
        let aborted = try await pipeline.send(context: ["Profile": ["Identity": "u2"], "Event": [:]], id: "line-2", sequence: 2)
        #expect(aborted == .aborted(reason: "no rating"))
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 1)
        #expect(report.aborted == 1)
        #expect(destination.attempts.flatMap { $0 }.map(\.payload) == [["userId": "u-\"1\"\n", "npsScore": 9]])
        #expect(log.outcomes.first { $0.itemID == "line-2" }?.abortReason == "no rating")
    }

    @Test("a render failure is a failed outcome with the template position")
    func renderFailure() async throws {
        let log = OutcomeLog()
        let strict = try PayloadTemplate(#"{"n": {{ Event.Missing }}}"#, environment: TemplateEnvironment(mode: .strict))
        let pipeline = DeliveryPipeline(
            destination: ScriptedDestination { batch, _ in batch.map { _ in ok } }, transport: UnusedTransport(),
            renderer: TemplatePayloadRenderer(strict), configuration: .init(outcomeHandler: log.handler), clock: ManualClock())
        let result = try await pipeline.send(context: ["Event": [:]], id: "x", sequence: 3)
        guard case .notRendered(let failure) = result else { Issue.record("expected notRendered"); return }
        #expect(failure.errorCode == "TEMPLATE_ERROR")
        #expect(failure.message.contains(":1:"))
        #expect(log.outcomes.first?.sequence == 3)
        _ = await pipeline.shutdown()
    }

    @Test("a pipeline without a renderer refuses contexts with a clear error")
    func noRenderer() async throws {
        let pipeline = DeliveryPipeline(destination: ScriptedDestination { _, _ in [] }, transport: UnusedTransport(), clock: ManualClock())
        await #expect(throws: DeliveryError.noRenderer) { try await pipeline.send(context: [:]) }
        #expect(DeliveryError.noRenderer.description.contains("renderer:"))
    }

    @Test("a record mapper renders records as their fields")
    func mapperRendering() async throws {
        let mapper = ClosureRecordMapper { context in
            .record(SObjectRecord(
                type: Fixture.feedback,
                fields: [.init(name: Fixture.score, value: .int(context["score"]?.intValue ?? 0))]))
        }
        let rendered = MapperPayloadRenderer(mapper).render(["score": 7])
        #expect(rendered == .payload(["Score__c": 7]))
        let skipping = MapperPayloadRenderer(ClosureRecordMapper { _ in .skipped(reason: "test user") })
        #expect(skipping.render([:]) == .aborted(reason: "test user"))
    }

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
        let destination = ScriptedDestination { _, _ in [final()] }
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox,
            configuration: .init(queueCapacity: 1, batchLinger: .zero), clock: ManualClock())
        try await pipeline.send(DeliveryItem(id: "dead", payload: [:]))
        try await poll { await outbox.counts().dead == 1 }
        // Sent again while dead: not re-added, and the single queue place is free for the next item.
        try await pipeline.send(DeliveryItem(id: "dead", payload: [:]))
        try await pipeline.send(DeliveryItem(id: "next", payload: [:]))
        let result = await pipeline.shutdown()
        #expect(result.report.failed == 2)
        #expect(destination.attempts.count == 2)
    }
}
