import FerryCore
import Foundation

/// Gets items into Salesforce: queues them in an outbox, delivers them through a destination with bounded
/// concurrency, retries what can be retried, pauses while the org is down, and accounts for every item.
///
/// ```swift
/// let pipeline = DeliveryPipeline(destination: apex, transport: transport, tokenProvider: tokens, origin: org)
/// try await pipeline.send(DeliveryItem(id: "nps-1", payload: ["userId": "u1", "npsScore": 9]))
/// let result = await pipeline.shutdown(within: .seconds(30))
/// print(result.report.delivered)
/// ```
///
/// Every accepted item ends in exactly one ``DeliveryOutcome``: delivered, failed (with the reason), or handed
/// back at shutdown. `send` suspends while ``Configuration/queueCapacity`` items are unfinished, so a burst
/// cannot exhaust memory; nothing is silently dropped.
public final class DeliveryPipeline: Sendable {
    /// What ``shutdown(within:)`` leaves behind.
    public struct ShutdownResult: Sendable {
        /// The final report.
        public var report: DeliveryReport
        /// Items that were not delivered in time, handed back to the caller (from an outbox with
        /// ``OutboxCapabilities/handsBackUndelivered``, such as ``InMemoryOutbox``; a durable outbox keeps them
        /// for the next run instead).
        public var undelivered: [DeliveryItem]
        /// What is left in the outbox: items a durable outbox will deliver after a restart, and dead letters.
        public var remaining: OutboxCounts?
    }

    private let engine: PipelineEngine
    /// What ``Configuration/validate()`` found wrong, if anything: the pipeline then starts no deliverer and
    /// ``send(_:)`` and ``start()`` throw it.
    private let configurationError: ConfigurationError?
    private let deliverers = FerryMutex<[Task<Void, Never>]>([])

    /// Creates a pipeline. Deliverers start with the first `send` (or ``start()``). A configuration that fails
    /// ``Configuration/validate()`` makes a pipeline that delivers nothing and whose `send` and
    /// ``start()`` throw ``DeliveryError/invalidConfiguration(_:)``: call `validate()` first to learn of it before sending.
    ///
    /// The Salesforce module adds `init(destination:transport:tokenProvider:origin:...)`, which authorises every
    /// request with a bearer token.
    /// - Parameters:
    ///   - destination: Where items go.
    ///   - transport: The transport requests go through.
    ///   - connection: Builds the transport the destination sends through on top of `transport` (authorisation,
    ///     for instance) and reports what it saw; `nil` when `transport` authorises by itself.
    ///   - outbox: Where accepted items wait (default: in memory).
    ///   - configuration: Concurrency, queue size, retries, circuit breaker.
    ///   - clock: The clock for waits and timestamps.
    public init(
        destination: any Destination,
        transport: any HTTPTransport,
        connection: (any ConnectionLayer)? = nil,
        outbox: any Outbox = InMemoryOutbox(),
        configuration: Configuration = Configuration(),
        clock: any FerryClock = SystemClock()
    ) {
        do {
            try configuration.validate()
            configurationError = nil
        } catch {
            configurationError = error
        }
        let events = EventBroadcaster()
        let counters = ConnectionCounters(events: events, reserve: configuration.apiReserve, clock: clock)
        let observer: @Sendable (ConnectionObservation) -> Void = { counters.observe($0) }
        let transport = RetryAfterDatingTransport(transport: transport, clock: clock)
        let wired: any HTTPTransport =
            if let connection {
                connection.transport(over: transport, observer: observer)
            } else {
                ObservingTransport(transport: transport, observer: observer)
            }
        engine = PipelineEngine(
            destination: destination, transport: wired, outbox: outbox, configuration: configuration,
            clock: clock, events: events, counters: counters)
    }

    deinit {
        for task in deliverers.withLock({ $0 }) { task.cancel() }
    }

    /// Starts the deliverers without sending anything: delivers what a durable outbox kept from a previous run.
    /// Calling it again does nothing more.
    /// - Throws: ``DeliveryError/invalidConfiguration(_:)`` when the configuration failed
    ///   ``Configuration/validate()``: no deliverer starts, and a durable outbox keeps its items for a run with a
    ///   valid configuration.
    public func start() throws {
        if let configurationError { throw DeliveryError.invalidConfiguration(configurationError) }
        startDeliverers()
    }

    /// Starts the deliverers once, unless the configuration is invalid (``start()`` and `send` report that).
    private func startDeliverers() {
        guard configurationError == nil else { return }
        deliverers.withLock { tasks in
            guard tasks.isEmpty else { return }
            let engine = self.engine
            tasks = (0..<engine.configuration.concurrency.value).map { _ in
                Task { await engine.runDeliverer() }
            }
        }
    }

    /// Accepts one item. Returns once the outbox holds it; suspends while the queue is full.
    /// - Parameter item: The item.
    /// - Throws: ``DeliveryError/shutDown`` after shutdown began, a ``DeliveryError`` when the outbox cannot store
    ///   it, ``DeliveryError/invalidConfiguration(_:)`` when the configuration failed
    ///   ``Configuration/validate()``, or `CancellationError` if the task is cancelled while waiting for room. The
    ///   item is not accepted then.
    public func send(_ item: DeliveryItem) async throws {
        if let configurationError { throw DeliveryError.invalidConfiguration(configurationError) }
        startDeliverers()
        try await engine.accept([item])
    }

    /// Accepts several items; returns once the outbox holds all of them.
    /// - Parameter items: The items.
    /// - Throws: As ``send(_:)``; none of the items is accepted then.
    public func send(contentsOf items: [DeliveryItem]) async throws {
        if let configurationError { throw DeliveryError.invalidConfiguration(configurationError) }
        startDeliverers()
        try await engine.accept(items)
    }

    /// Records an item that ends without being sent: aborted by its template, or whose payload could not be
    /// rendered (record that as a failed outcome). It counts in the report and reaches the outcome handler.
    /// - Parameter outcome: The outcome.
    public func record(_ outcome: DeliveryOutcome) {
        engine.recordDirect(outcome)
    }

    /// The report so far.
    public var report: DeliveryReport { engine.report() }

    /// The outbox's counts: pending, leased, dead.
    /// - Returns: The counts.
    /// - Throws: When the outbox cannot be read.
    public func outboxCounts() async throws -> OutboxCounts { try await engine.outbox.counts() }

    /// A stream of events, for logs and metrics. Each call makes a new subscriber; a subscriber that falls more
    /// than 10,000 events behind loses the oldest (counted in ``DeliveryReport/eventsDropped``). The stream ends
    /// at shutdown.
    /// - Returns: The events from now on.
    public func events() -> AsyncStream<DeliveryEvent> { engine.events.subscribe() }

    /// Stops accepting, delivers what is outstanding (retries included) until the outbox is empty or `deadline`
    /// has passed, then stops the deliverers and hands back what is left.
    /// - Parameter deadline: The longest to keep delivering; `nil` waits until everything ended.
    /// - Returns: The report, the undelivered items and what remains in the outbox.
    public func shutdown(within deadline: Duration? = nil) async -> ShutdownResult {
        engine.beginStopping()
        startDeliverers()
        engine.wake.signal()
        let tasks = deliverers.withLock { $0 }
        let clock = engine.clock
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for task in tasks { await task.value }
                return true
            }
            if let deadline {
                group.addTask {
                    try? await clock.sleep(for: deadline)
                    return false
                }
            }
            if await group.next() == false {
                for task in tasks { task.cancel() }
            }
            group.cancelAll()
        }
        for task in tasks { await task.value }
        var undelivered: [DeliveryItem] = []
        if engine.outbox.capabilities.contains(.handsBackUndelivered) {
            do { undelivered = try await engine.outbox.removeUndelivered() } catch {
                engine.emitOutboxError(error, items: [])
            }
        }
        let remaining = try? await engine.outbox.counts()
        engine.events.finish()
        return ShutdownResult(report: engine.report(), undelivered: undelivered, remaining: remaining)
    }
}
