import Ferry
import FerryTesting
import Foundation
import Logging
import Testing

/// The seed's NPS flow against the simulated org, on a manual clock: what every bridge test observes.
struct Scenario {
    static let npsObject = "CleverTap__CleverTap_NPS__c"
    let clock = ManualClock()
    let org: SimulatedSalesforceOrg
    let url: URL

    init() throws {
        org = SimulatedSalesforceOrg(clock: clock)
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        url = org.endpoints.apexREST(
            mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))
    }

    /// A pipeline with its own token provider (whose events go to `onAuthEvent`), sending through `wrap(org)`.
    func pipeline(
        outbox: any Outbox = InMemoryOutbox(),
        maximumAttempts: Int = 6,
        circuitBreaker: CircuitBreaker.Configuration = .init(),
        onAuthEvent: AuthEventHandler? = nil,
        wrap: (any HTTPTransport) -> any HTTPTransport = { $0 }
    ) throws -> DeliveryPipeline {
        let transport = wrap(org)
        let client = SimulatedClient.example
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: client.id, clientSecret: client.secret, transport: transport, clock: clock,
            onEvent: onAuthEvent)
        let configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero,
            retryPolicy: ExponentialBackoff(maximumAttempts: maximumAttempts, random: { 0.5 }),
            circuitBreaker: circuitBreaker)
        return DeliveryPipeline(
            destination: ApexRESTDestination(url: url), transport: transport, tokenProvider: tokens,
            origin: org.org.baseURL, outbox: outbox, configuration: configuration, clock: clock)
    }

    static func items(_ range: ClosedRange<Int>, prefix: String = "nps") -> [DeliveryItem] {
        range.map { DeliveryItem(id: "\(prefix)-\($0)", payload: ["userId": .string("u\($0)"), "npsScore": .int($0 % 11)]) }
    }

    static let badItem = DeliveryItem(id: "nps-bad", payload: ["userId": "u-bad", "npsScore": "nine"])

    /// Sends `items`, drives the clock until every one of them ended, shuts down and returns every event seen.
    func run(_ pipeline: DeliveryPipeline, _ items: [DeliveryItem]) async throws -> [DeliveryEvent] {
        let events = pipeline.events()
        let collected = Task {
            var all: [DeliveryEvent] = []
            for await event in events { all.append(event) }
            return all
        }
        try await pipeline.send(contentsOf: items)
        await drive(clock) { pipeline.report.total >= items.count }
        _ = await pipeline.shutdown()
        return await collected.value
    }
}

/// Advances the manual clock to the next sleeper's deadline until `done` holds: retries and backoff run at
/// once. The 1 ms yield lets the deliverers run between steps; no assertion depends on it.
/// `notBeyond` keeps the clock short of a deadline the test must not reach (a drain deadline): a request still in
/// flight after 1 ms (the thread sanitizer slows them) would otherwise let the clock jump to it.
func drive(
    _ clock: ManualClock, maxSteps: Int = 20_000, notBeyond limit: Date? = nil, until done: @Sendable () async -> Bool
) async {
    for _ in 0..<maxSteps {
        if await done() { return }
        try? await Task.sleep(for: .milliseconds(1))
        if await done() { return }
        if let next = clock.nextDeadline, limit.map({ next <= $0 }) ?? true { clock.advance(to: next) }
    }
    Issue.record("the condition did not hold after \(maxSteps) steps")
}

/// Lets the pipeline's tasks run, without moving the manual clock, until `done` holds (bounded, never hangs).
func waitUntil(maxSteps: Int = 5_000, _ done: @Sendable () -> Bool) async {
    for _ in 0..<maxSteps {
        if done() { return }
        try? await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("the condition did not hold after \(maxSteps) steps")
}

/// A swift-log handler that keeps every record, for asserting what a host's log would show.
struct CapturingLogHandler: LogHandler {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    final class Store: Sendable {
        private let records = FerryMutex<[Record]>([])
        func append(_ record: Record) { records.withLock { $0.append(record) } }
        var all: [Record] { records.withLock { $0 } }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        fields.merge(event.metadata ?? [:]) { $1 }
        store.append(Record(
            level: event.level, message: event.message.description,
            metadata: fields.mapValues { "\($0)" }))
    }

    static func logger(level: Logger.Level = .trace) -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: "test") { _ in CapturingLogHandler(store: store) }
        logger.logLevel = level
        return (logger, store)
    }
}
