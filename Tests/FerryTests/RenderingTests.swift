import Ferry
import FerryTesting
import Foundation
import Testing

/// Rendering contexts into payloads: above the engine, in the Ferry module, beside ``ExportPayload``.
@Suite("Rendering contexts")
struct RenderingTests {
    static let nps = #"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}{% if Event["User Rating"] == nil %}{% abort "no rating" %}{% endif %}"#

    @Test("a template renders each context; aborts and template errors are recorded, not sent")
    func templateRendering() async throws {
        let log = OutcomeLog()
        let destination = RecordingDestination()
        let template = try PayloadTemplate(Self.nps)
        let renderer = TemplatePayloadRenderer(template)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(),
            configuration: .init(batchLinger: .zero, outcomeHandler: log.handler), clock: ManualClock())
        let sent = try await pipeline.send(
            context: ["Profile": ["Identity": "u-\"1\"\n"], "Event": ["User Rating": 9]], renderer: renderer,
            id: "line-1", sequence: 1)
        #expect(sent == .accepted)
        let aborted = try await pipeline.send(
            context: ["Profile": ["Identity": "u2"], "Event": [:]], renderer: renderer, id: "line-2", sequence: 2)
        #expect(aborted == .aborted(reason: "no rating"))
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 1)
        #expect(report.aborted == 1)
        #expect(try destination.attempts.flatMap { $0 }.map { try $0.payload.value } == [["userId": "u-\"1\"\n", "npsScore": 9]])
        #expect(log.outcomes.first { $0.itemID == "line-2" }?.abortReason == "no rating")
    }

    @Test("a render failure is a failed outcome with the template position")
    func renderFailure() async throws {
        let log = OutcomeLog()
        let strict = try PayloadTemplate(#"{"n": {{ Event.Missing }}}"#, environment: TemplateEnvironment(mode: .strict))
        let pipeline = DeliveryPipeline(
            destination: RecordingDestination(), transport: UnusedTransport(),
            configuration: .init(outcomeHandler: log.handler), clock: ManualClock())
        let result = try await pipeline.send(
            context: ["Event": [:]], renderer: TemplatePayloadRenderer(strict), id: "x", sequence: 3)
        guard case .notRendered(let failure) = result else { Issue.record("expected notRendered"); return }
        #expect(failure.errorCode == "TEMPLATE_ERROR")
        #expect(failure.message.contains(":1:"))
        #expect(log.outcomes.first?.sequence == 3)
        _ = await pipeline.shutdown()
    }

    @Test("an aborted context is rendered once: the reason comes with the same render")
    func abortRendersOnce() throws {
        let renders = RenderCounter()
        var environment = TemplateEnvironment()
        environment.register(filter: "counted") { input, _, _ throws(FilterError) in
            renders.increment()
            return input
        }
        let template = try PayloadTemplate(
            #"{"n": {{ Event.n | counted }}}{% if Event.n == nil %}{% abort "no n" %}{% endif %}"#,
            environment: environment)
        let renderer = TemplatePayloadRenderer(template)
        #expect(renderer.render(["Event": [:]]) == .aborted(reason: "no n"))
        #expect(renders.count == 1)
        #expect(try renderer.render(["Event": ["n": 4]]).parsedPayload == ["n": 4])
        #expect(renders.count == 2)
        #expect(try template.renderPayload(["Event": [:]]) == .aborted(reason: "no n"))
        #expect(try template.renderPayload(["Event": ["n": 5]]) == .payload(RawJSON(validating: #"{"n": 5}"#)))
    }

    @Test("a record mapper renders records as their fields")
    func mapperRendering() async throws {
        let feedback = try APIName("Feedback__c")
        let score = try APIName("Score__c")
        let mapper = ClosureRecordMapper { context in
            .record(SObjectRecord(
                type: feedback, fields: [.init(name: score, value: .int(context["score"]?.intValue ?? 0))]))
        }
        let rendered = MapperPayloadRenderer(mapper).render(["score": 7])
        #expect(rendered == .payload(RawJSON(["Score__c": 7])))
        let skipping = MapperPayloadRenderer(ClosureRecordMapper { _ in .skipped(reason: "test user") })
        #expect(skipping.render([:]) == .aborted(reason: "test user"))
    }
}

/// A destination that delivers every item and records each attempt.
private final class RecordingDestination: Destination {
    let maximumBatchSize = 1
    private let calls = FerryMutex<[[DeliveryItem]]>([])

    /// Every attempt's items, in order.
    var attempts: [[DeliveryItem]] { calls.withLock { $0 } }

    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        calls.withLock { $0.append(batch) }
        return batch.map { _ in .delivered(DeliveryReceipt(status: 201, salesforceID: "a01", created: true)) }
    }
}

/// A transport that must not be used: the destination answers by itself.
private struct UnusedTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        Issue.record("the transport should not be called")
        return HTTPResponse(status: 500)
    }
}

/// Counts the renders that reached a filter.
private final class RenderCounter: Sendable {
    private let storage = FerryMutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var count: Int { storage.withLock { $0 } }
}

/// Collects outcomes from the outcome handler.
private final class OutcomeLog: Sendable {
    private let storage = FerryMutex<[DeliveryOutcome]>([])
    var handler: @Sendable (DeliveryOutcome) -> Void { { [self] outcome in storage.withLock { $0.append(outcome) } } }
    var outcomes: [DeliveryOutcome] { storage.withLock { $0 } }
}

extension RenderedPayload {
    /// The payload parsed, or `nil` when there is none.
    var parsedPayload: JSONValue? {
        get throws {
            guard case .payload(let payload) = self else { return nil }
            return try payload.value
        }
    }
}
