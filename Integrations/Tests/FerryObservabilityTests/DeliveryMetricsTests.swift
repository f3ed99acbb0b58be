import Ferry
import FerryMetrics
import FerryTesting
import Foundation
import MetricsTestKit
import Testing

@Suite("DeliveryMetrics: swift-metrics counters, timers and gauges, read with MetricsTestKit")
struct DeliveryMetricsTests {
    @Test("deliveries by outcome and error code, attempts, retries, token fetches and org API usage")
    func deliveryCounts() async throws {
        let scenario = try Scenario()
        scenario.org.inject(.sequence([.serverUnavailable, .serverUnavailable], on: .apexREST))
        let testMetrics = TestMetrics()
        let metrics = DeliveryMetrics(destination: "NPS", factory: testMetrics)
        let pipeline = try scenario.pipeline(onAuthEvent: metrics.authEventHandler)
        let events = try await scenario.run(pipeline, Scenario.items(1...4) + [Scenario.badItem])
        for event in events { metrics.record(event) }

        let destination = [("destination", "NPS")]
        #expect(try testMetrics.expectCounter("ferry_deliveries_total", destination + [("outcome", "delivered")])
            .totalValue == 4)
        #expect(try testMetrics.expectCounter(
            "ferry_deliveries_total",
            destination + [("outcome", "failed"), ("error_code", "APEX_ERROR_STRING")]).totalValue == 1)
        #expect(try testMetrics.expectCounter(
            "ferry_delivery_retries_total", destination + [("error_code", "SERVER_UNAVAILABLE")]).totalValue == 2)
        #expect(try testMetrics.expectCounter("ferry_delivery_attempts_total", destination).totalValue == 7)
        // The provider's own event and the pipeline's: the same fetch seen from both sides.
        #expect(try testMetrics.expectCounter("ferry_token_fetches_total", destination + [("result", "fetched")])
            .totalValue == 2)
        let used = try testMetrics.expectGauge("ferry_org_api_requests_used", destination + [("counter", "daily")])
        let limit = try testMetrics.expectGauge("ferry_org_api_requests_limit", destination + [("counter", "daily")])
        #expect((used.lastValue ?? 0) > 0)
        #expect(limit.lastValue == Double(scenario.org.configuration.dailyAPILimit))
    }

    @Test("the circuit gauge is 1 while deliveries are held back and 0 once a probe succeeded")
    func circuitGauge() async throws {
        let scenario = try Scenario()
        scenario.org.inject(.sequence([.serverUnavailable, .serverUnavailable], on: .apexREST))
        let testMetrics = TestMetrics()
        let metrics = DeliveryMetrics(factory: testMetrics)
        let pipeline = try scenario.pipeline(circuitBreaker: .init(failureThreshold: 2, cooldown: .seconds(5)))
        let events = try await scenario.run(pipeline, Scenario.items(1...1))
        for event in events { metrics.record(event) }
        let gauge = try testMetrics.expectGauge("ferry_circuit_open")
        #expect(gauge.values == [1, 0])
    }

    @Test("the outbox gauge by state, and a failed read counted as an outbox error")
    func outboxDepth() async throws {
        let testMetrics = TestMetrics()
        let metrics = DeliveryMetrics(factory: testMetrics)
        metrics.record(OutboxCounts(pending: 7, leased: 2, dead: 1))
        #expect(try testMetrics.expectGauge("ferry_outbox_items", [("state", "pending")]).lastValue == 7)
        #expect(try testMetrics.expectGauge("ferry_outbox_items", [("state", "leased")]).lastValue == 2)
        #expect(try testMetrics.expectGauge("ferry_outbox_items", [("state", "dead")]).lastValue == 1)

        let clock = ManualClock()
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: try #require(URL(string: "https://acme.my.salesforce.com/x"))),
            transport: MockTransport(), outbox: FailingOutbox(), clock: clock)
        let monitor = Task { await metrics.monitorOutbox(of: pipeline, every: .seconds(10), clock: clock) }
        let errors: @Sendable () -> Int64 = { (try? testMetrics.expectCounter("ferry_outbox_errors_total").totalValue) ?? 0 }
        // A failed read is counted and the monitor keeps going: it waits for the next interval and reads again.
        await waitUntil { errors() == 1 && clock.sleeperCount == 1 }
        clock.advance(by: .seconds(10))
        await waitUntil { errors() == 2 && clock.sleeperCount == 1 }
        monitor.cancel()
        await monitor.value
        #expect(errors() == 2)
    }

    @Test("in-flight requests rise while a request waits and fall however it ends; each request is timed")
    func inFlight() async throws {
        let testMetrics = TestMetrics()
        let metrics = DeliveryMetrics(factory: testMetrics)
        let gate = AsyncGate()
        let mock = MockTransport()
        mock.on(.post, "/slow") { _ in
            await gate.wait()
            return HTTPResponse(status: 201)
        }
        mock.on(.post, "/broken") { _ in throw TransportError(.connectionRefused, url: "https://acme.my.salesforce.com/broken") }
        let transport = metrics.transport(wrapping: mock)
        let slowURL = try #require(URL(string: "https://acme.my.salesforce.com/slow"))
        let request = Task { try await transport.send(HTTPRequest(method: .post, url: slowURL)) }
        let meter = { try testMetrics.expectMeter("ferry_requests_in_flight") }
        while try meter().lastValue != 1 { await Task.yield() }
        await gate.open()
        #expect(try await request.value.status == 201)
        #expect(try meter().lastValue == 0)

        let brokenURL = try #require(URL(string: "https://acme.my.salesforce.com/broken"))
        await #expect(throws: TransportError.self) { try await transport.send(HTTPRequest(method: .post, url: brokenURL)) }
        #expect(try meter().lastValue == 0)
        #expect(try testMetrics.expectTimer("ferry_request_duration_seconds", [("status_class", "2xx")]).values.count == 1)
        #expect(try testMetrics.expectTimer("ferry_request_duration_seconds", [("status_class", "error")]).values.count == 1)
    }
}

/// An outbox whose reads fail: the monitor must count that, not stop.
struct FailingOutbox: Outbox {
    struct Broken: Error {}
    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> { throw Broken() }
    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] { throw Broken() }
    func acknowledge(_ ids: [String]) async throws { throw Broken() }
    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws { throw Broken() }
    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws { throw Broken() }
    var capabilities: OutboxCapabilities { [] }
    func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> { throw Broken() }
    func removeUndelivered() async throws -> [DeliveryItem] { [] }
    func counts() async throws -> OutboxCounts { throw Broken() }
    func nextAvailableDate() async throws -> Date? { throw Broken() }
}

/// Holds a request until the test opens it.
actor AsyncGate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
