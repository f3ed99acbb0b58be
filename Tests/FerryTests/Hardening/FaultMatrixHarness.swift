import Ferry
import FerryTesting
import Foundation
import Testing

/// One row of the fault matrix: the faults a simulated org injects into a run of 12 survey responses through
/// `SalesforceExporter` and the generated Apex class (which upserts on `Idempotency-Key`) or sObject Collections
/// (upserting on an external ID), and what the run must end with.
struct FaultScenario: Sendable, CustomTestStringConvertible {
    /// How the exporter reaches the org.
    enum Wire: Sendable {
        /// The org is the exporter's transport; every wait is on a `ManualClock` the test moves.
        case inProcess
        /// The org is served on a loopback socket and reached through `URLSessionTransport` with a short request
        /// timeout (``FaultScenario/requestTimeout``); real time, with retry pauses of at most 20 ms.
        case loopback
    }

    /// Where the exporter delivers.
    enum Target: Sendable {
        /// The Apex REST class `ferry apex` generates, one item per request, upserting on `Idempotency-Key`.
        case apex
        /// sObject Collections, up to 200 items per request, upserting on the `Idempotency_Key__c` external ID.
        case collections
    }

    let name: String
    var wire: Wire = .inProcess
    var target: Target = .apex
    var rules: [SimulatedFaultRule] = []
    /// Token requests the org's token endpoint fails (HTTP 503 with an HTML body) before it answers again.
    var tokenFailures = 0
    /// The org's daily API allocation (default plenty).
    var dailyAPILimit = 100_000
    /// The share of the daily allocation the pipeline keeps for the org's other integrations (default 10 %, the
    /// pipeline's default; 0 lets the run spend the allocation until the org itself refuses).
    var apiReservePercent: Double = 10
    /// How long the org's sessions live (default 2 hours, what the client assumes).
    var sessionLifetime: Duration = .seconds(7200)
    /// Items that must end delivered; the rest must fail with the codes in ``failures``.
    var delivered = FaultScenario.itemCount
    /// The error code of every failed item, with how many items fail with it.
    var failures: [String: Int] = [:]
    /// The error codes of the failures that were retried (`retryScheduled` events), exactly.
    var retried: Set<String> = []
    /// Whether the circuit breaker must open during the run.
    var circuitOpens = false
    /// `URLSessionTransport`'s request timeout, over loopback (a 50 MB reply takes longer than 250 ms to build in a
    /// debug build: its rows get 2 s, so the body limit, not the timeout, decides).
    var requestTimeout: Duration = .milliseconds(250)

    static let itemCount = 12

    var testDescription: String { name }
}

/// What one run produced, for the matrix's assertions.
struct FaultRun: Sendable {
    let result: DeliveryPipeline.ShutdownResult
    let outcomes: [DeliveryOutcome]
    let events: [DeliveryEvent]
    let org: SimulatedSalesforceOrg
    let items: [(id: String, score: Int, comment: String)]
    let virtualElapsed: Duration
    let sendAfterShutdown: (any Error)?
    let clockSleepersAfterShutdown: Int
}

/// Runs the exporter against a faulty simulated org and collects what the matrix asserts.
enum FaultMatrixHarness {
    static let spec: ApexObjectSpec = {
        // A literal spec whose names are all valid; the tests would fail at once if it were not.
        (try? ApexObjectSpec(
            object: "Survey_Response__c",
            fields: [try ApexFieldSpec(parsing: "Score:Number"), try ApexFieldSpec(parsing: "Comment:Text")],
            mapping: "/SurveyResponse", recordName: .autoNumber)).unsafelyUnwrapped
    }()

    static let template = #"{"Score": {{ Score }}, "Comment": "{{ Comment }}"}"#
    static let recordTemplate = #"{"Score__c": {{ Score }}, "Comment__c": "{{ Comment }}", "Idempotency_Key__c": "{{ Key }}"}"#

    /// Collects outcomes from the outcome handler (called exactly once per item).
    final class OutcomeLog: Sendable {
        let outcomes = FerryMutex<[DeliveryOutcome]>([])
        var handler: @Sendable (DeliveryOutcome) -> Void { { outcome in self.outcomes.withLock { $0.append(outcome) } } }
    }

    static func run(_ scenario: FaultScenario) async throws -> FaultRun {
        let manual = ManualClock()
        let clock: any FerryClock = scenario.wire == .inProcess ? manual : SystemClock()
        let org = SimulatedSalesforceOrg(
            configuration: .init(sessionLifetime: scenario.sessionLifetime, dailyAPILimit: scenario.dailyAPILimit),
            clock: clock)
        org.register(generatedClassFor: spec)
        for rule in scenario.rules { org.inject(rule) }
        if scenario.tokenFailures > 0 { org.failTokenRequests(next: scenario.tokenFailures) }

        let server = scenario.wire == .loopback ? try org.serveOnLoopback() : nil
        defer { server?.stop() }
        let log = OutcomeLog()
        var configuration: DeliveryPipeline.Configuration
        let transport: any HTTPTransport
        let target: SalesforceOrg
        switch scenario.wire {
        case .inProcess:
            // One deliverer: with a manual clock moved by the test, an idle deliverer could wake at another's lease
            // expiry while that one is still mid-request in real time.
            configuration = .init(
                concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(random: { 0.5 }),
                outcomeHandler: log.handler)
            transport = org
            target = org.org
        case .loopback:
            configuration = .init(
                concurrency: 4, batchLinger: .zero,
                retryPolicy: ExponentialBackoff(
                    base: .milliseconds(5), cap: .milliseconds(20), limitPause: .milliseconds(20), random: { 0.5 }),
                circuitBreaker: .init(failureThreshold: 5, cooldown: .milliseconds(20), maximumCooldown: .milliseconds(40)),
                outcomeHandler: log.handler)
            transport = URLSessionTransport(configuration: .init(
                connectTimeout: .seconds(5), requestTimeout: scenario.requestTimeout))
            target = try SalesforceOrg(try #require(server).baseURL.absoluteString)
        }
        configuration.apiReserve = APIReserve(percent: scenario.apiReservePercent)
        let exporter = try SalesforceExporter(
            org: target,
            credentials: .clientCredentials(id: SimulatedClient.example.id, secret: SimulatedClient.example.secret),
            destination: scenario.target == .apex
                ? .apexREST(namespace: nil, mapping: spec.mapping.path)
                : .collections("Survey_Response__c", upsertOn: "Idempotency_Key__c"),
            payload: .json(scenario.target == .apex ? template : recordTemplate),
            transport: transport, configuration: configuration, clock: clock)

        let eventStream = exporter.events()
        let collector = Task {
            var events: [DeliveryEvent] = []
            for await event in eventStream { events.append(event) }
            return events
        }
        let started = clock.now
        let items = (1...FaultScenario.itemCount).map { (id: "survey-\($0)", score: $0 % 11, comment: "c \"\($0)\"") }
        for item in items {
            let sent = try await exporter.send(
                ["Score": .int(item.score), "Comment": .string(item.comment), "Key": .string(item.id)], id: item.id)
            #expect(sent == .accepted)
        }

        let result: DeliveryPipeline.ShutdownResult
        switch scenario.wire {
        case .inProcess:
            result = try await finish(exporter, manual)
        case .loopback:
            result = try await finishInRealTime(exporter)
            // Calls the exporter gave up on (timeouts) may still be running in the org: let them write first.
            for _ in 0..<400 where org.requests.contains(where: { $0.status == 0 }) {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        var sendAfterShutdown: (any Error)?
        do { try await exporter.send(["Score": 1, "Comment": "late"], id: "late") } catch { sendAfterShutdown = error }
        let events = await collector.value  // ends only because shutdown finished the stream
        return FaultRun(
            result: result, outcomes: log.outcomes.withLock { $0 }, events: events, org: org, items: items,
            virtualElapsed: .seconds(clock.now.timeIntervalSince(started)), sendAfterShutdown: sendAfterShutdown,
            clockSleepersAfterShutdown: manual.sleeperCount)
    }

    /// Shuts the exporter down, moving the manual clock past every pause (bounded, so a hang fails fast).
    static func finish(_ exporter: SalesforceExporter, _ clock: ManualClock) async throws
        -> DeliveryPipeline.ShutdownResult
    {
        let done = FerryMutex(false)
        let task = Task {
            let result = await exporter.shutdown()
            done.withLock { $0 = true }
            return result
        }
        for _ in 0..<20_000 where !done.withLock({ $0 }) {
            if let next = clock.nextDeadline { clock.advance(to: next) }
            try await Task.sleep(for: .milliseconds(1))
        }
        try #require(done.withLock { $0 }, "shutdown did not return")
        return await task.value
    }

    /// Shuts the exporter down in real time; fails the test if that takes more than 20 s.
    static func finishInRealTime(_ exporter: SalesforceExporter) async throws -> DeliveryPipeline.ShutdownResult {
        let done = FerryMutex(false)
        let task = Task {
            let result = await exporter.shutdown()
            done.withLock { $0 = true }
            return result
        }
        for _ in 0..<4000 where !done.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        try #require(done.withLock { $0 }, "shutdown did not return within 20 s")
        return await task.value
    }
}
