import Ferry
import FerryTesting
import FerryTracing
import Foundation
import InMemoryTracing
import Testing
import Tracing

@Suite("DeliveryTracing: a client span per attempt and token fetch, read with InMemoryTracer")
struct DeliveryTracingTests {
    @Test("attempts and token fetches get client spans with the HTTP attributes; each attempt links to its accepting span")
    func spans() async throws {
        let scenario = try Scenario()
        scenario.org.inject(.sequence([.serverUnavailable], on: .apexREST))
        let tracer = InMemoryTracer()
        let tracing = DeliveryTracing(tracer: tracer)
        let pipeline = try scenario.pipeline(wrap: { tracing.transport(wrapping: $0) })
        // The host's request span accepts the item.
        let accepting = tracer.startSpan("POST /events", ofKind: .server)
        ServiceContext.withValue(accepting.context) { tracing.accepted(itemID: "nps-1") }
        accepting.end()
        let acceptingID = try #require(accepting.context.inMemorySpanContext?.spanID)
        #expect(tracing.rememberedCount == 1)

        let events = try await scenario.run(pipeline, Scenario.items(1...1))
        for event in events { tracing.record(event) }
        #expect(tracing.rememberedCount == 0, "the context is forgotten once the item ended")

        let spans = tracer.finishedSpans
        let fetch = try #require(spans.first { $0.operationName == "ferry.auth.token_fetch" })
        #expect(fetch.kind == .client)
        #expect(fetch.attributes.get("http.request.method") == .string("POST"))
        #expect(fetch.attributes.get("url.path") == .string("/services/oauth2/token"))
        #expect(fetch.attributes.get("http.response.status_code") == .int64(200))
        #expect(fetch.attributes.get("ferry.item_id") == nil)

        let attempts = spans.filter { $0.operationName == "ferry.delivery.attempt" }
        #expect(attempts.count == 2)
        let first = try #require(attempts.first)
        #expect(first.kind == .client)
        #expect(first.attributes.get("http.response.status_code") == .int64(503))
        #expect(first.attributes.get("error.type") == .string("503"))
        #expect(first.status?.code == .error)
        #expect(first.attributes.get("server.address") == .string(scenario.org.org.baseURL.host ?? ""))
        #expect(first.attributes.get("url.path") == .string("/services/apexrest/CleverTap/InsertNPSFeedback"))
        let second = try #require(attempts.last)
        #expect(second.attributes.get("http.response.status_code") == .int64(200))
        #expect(second.status == nil)
        for attempt in attempts {
            #expect(attempt.attributes.get("ferry.item_id") == .string("nps-1"))
            #expect(attempt.links.map { $0.context.inMemorySpanContext?.spanID } == [acceptingID])
        }
        // No header value but the item id reaches the tracer: never the bearer token.
        let text = spans.map { "\($0.attributes)" }.joined()
        for token in scenario.org.issuedAccessTokens { #expect(!text.contains(token)) }
    }

    @Test("a transport failure ends the span with the error's kind and an error status")
    func transportError() async throws {
        let tracer = InMemoryTracer()
        let tracing = DeliveryTracing(tracer: tracer)
        let mock = MockTransport()
        let url = "https://acme.my.salesforce.com/services/apexrest/x"
        mock.on(.post, "/services/apexrest/x") { _ in throw TransportError(.timeout, url: url) }
        let transport = tracing.transport(wrapping: mock)
        await #expect(throws: TransportError.self) {
            try await transport.send(HTTPRequest(method: .post, url: try #require(URL(string: url))))
        }
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.attributes.get("error.type") == .string("timeout"))
        #expect(span.status?.code == .error)
        #expect(span.errors.count == 1)
        #expect(span.attributes.get("server.port") == .int64(443))
    }

    @Test("at capacity the oldest accepted context is forgotten first")
    func capacity() {
        let tracer = InMemoryTracer()
        let tracing = DeliveryTracing(tracer: tracer, capacity: 2)
        for id in ["a", "b", "c"] {
            let span = tracer.startSpan(id)
            ServiceContext.withValue(span.context) { tracing.accepted(itemID: id) }
            span.end()
        }
        #expect(tracing.rememberedCount == 2)
        // Outside any span there is nothing to link to: nothing is remembered.
        tracing.accepted(itemID: "d", context: nil)
        #expect(tracing.rememberedCount == 2)
    }
}
