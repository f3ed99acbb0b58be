import CoreMetrics
import FerryAuth
import FerryCore
import FerryDelivery
import FerryEventFacts
import Foundation

/// Publishes Ferry's delivery and auth events through swift-metrics, with stable names and dimensions, to
/// whatever backend the host bootstrapped (Prometheus, StatsD, OpenTelemetry).
///
/// ```swift
/// let metrics = DeliveryMetrics(destination: "NPS_Feedback")
/// let pipeline = DeliveryPipeline(destination: apex, transport: metrics.transport(wrapping: transport), ...)
/// Task { await metrics.run(pipeline.events()) }
/// ```
///
/// | Name (with the default prefix) | Type | Dimensions | What |
/// |---|---|---|---|
/// | `ferry_deliveries_total` | counter | `outcome` (`delivered`, `failed`, `aborted`), `error_code` | items that ended |
/// | `ferry_delivery_attempts_total` | counter | | requests sent for items (a batch counts once) |
/// | `ferry_delivery_retries_total` | counter | `error_code` | retries scheduled after a transient failure |
/// | `ferry_delivery_duration_seconds` | timer | `outcome` | acceptance to outcome, when the event carries it |
/// | `ferry_token_fetches_total` | counter | `result` (`fetched`, `refreshed`, `failed`) | access token fetches |
/// | `ferry_sessions_expired_total` | counter | | 401 replies answered by one replay with a new token |
/// | `ferry_circuit_open` | gauge | | 1 while the circuit breaker holds deliveries back, else 0 |
/// | `ferry_requests_in_flight` | meter | | requests sent through ``transport(wrapping:clock:)`` awaiting a reply |
/// | `ferry_request_duration_seconds` | timer | `status_class` (`2xx`...`5xx`, `error`) | each HTTP request |
/// | `ferry_outbox_items` | gauge | `state` (`pending`, `leased`, `dead`) | `record(_:)` with an `OutboxCounts`, or ``monitorOutbox(of:every:clock:)`` |
/// | `ferry_outbox_errors_total` | counter | | outbox reads or writes that failed (the items are kept) |
/// | `ferry_org_api_requests_used`, `ferry_org_api_requests_limit` | gauge | `counter` (`daily`, `bursts`) | `Sforce-Limit-Info` |
///
/// Every metric also carries the dimensions given at creation, e.g. `destination`. An error code is a Salesforce
/// or Ferry code (`REQUIRED_FIELD_MISSING`, `TRANSPORT_TIMEOUT`): a bounded set, safe as a dimension.
public struct DeliveryMetrics: Sendable {
    /// The prefix of every metric name (default `ferry`).
    public let prefix: String
    /// Dimensions added to every metric.
    public let dimensions: [(String, String)]
    private let factory: any MetricsFactory

    /// Creates a bridge.
    /// - Parameters:
    ///   - prefix: The prefix of every metric name.
    ///   - destination: A name for the destination, added to every metric as the `destination` dimension.
    ///   - dimensions: More dimensions for every metric.
    ///   - factory: The metrics backend; default the one the host bootstrapped with `MetricsSystem.bootstrap`.
    public init(
        prefix: String = "ferry", destination: String? = nil, dimensions: [(String, String)] = [],
        factory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.prefix = prefix
        self.dimensions = (destination.map { [("destination", $0)] } ?? []) + dimensions
        self.factory = factory
    }

    /// Records one delivery event.
    /// - Parameter event: The event.
    public func record(_ event: DeliveryEvent) {
        record(facts: EventFacts(event))
    }

    /// Records one token provider event.
    /// - Parameter event: The event.
    public func record(_ event: AuthEvent) {
        record(facts: EventFacts(event))
    }

    /// Records the outbox's counts as the `ferry_outbox_items` gauge (poll ``/FerryDelivery/DeliveryPipeline/outboxCounts()``, or
    /// use ``monitorOutbox(of:every:clock:)``).
    /// - Parameter counts: The counts.
    public func record(_ counts: OutboxCounts) {
        gauge("outbox_items", ("state", "pending")).record(counts.pending)
        gauge("outbox_items", ("state", "leased")).record(counts.leased)
        gauge("outbox_items", ("state", "dead")).record(counts.dead)
    }

    /// A handler to pass as a token provider's `onEvent`, recording its events.
    public var authEventHandler: AuthEventHandler {
        let bridge = self
        return { bridge.record($0) }
    }

    /// Records every event of `events` until the stream ends (a pipeline's stream ends at its shutdown).
    /// - Parameter events: The events, from ``/FerryDelivery/DeliveryPipeline/events()``.
    public func run(_ events: AsyncStream<DeliveryEvent>) async {
        for await event in events { record(event) }
    }

    /// Reads the pipeline's outbox counts every `interval` into `ferry_outbox_items` until the task is cancelled.
    /// A failed read counts in `ferry_outbox_errors_total` and is tried again at the next interval.
    /// - Parameters:
    ///   - pipeline: The pipeline.
    ///   - interval: How often to read.
    ///   - clock: The clock to wait on.
    public func monitorOutbox(
        of pipeline: DeliveryPipeline, every interval: Duration = .seconds(10), clock: any FerryClock = SystemClock()
    ) async {
        while !Task.isCancelled {
            do {
                record(try await pipeline.outboxCounts())
            } catch {
                counter("outbox_errors_total").increment()
            }
            do { try await clock.sleep(for: interval) } catch { return }
        }
    }

    /// A transport that counts requests in flight (`ferry_requests_in_flight`) and times each request
    /// (`ferry_request_duration_seconds`), sending through `transport`.
    /// - Parameters:
    ///   - transport: The transport that sends.
    ///   - clock: The clock requests are timed with.
    /// - Returns: The measuring transport.
    public func transport(wrapping transport: any HTTPTransport, clock: any FerryClock = SystemClock())
        -> any HTTPTransport
    {
        MeasuringTransport(
            base: transport, inFlight: Meter(label: name("requests_in_flight"), dimensions: dimensions, factory: factory),
            metrics: self, clock: clock)
    }

    func requestTimer(statusClass: String) -> CoreMetrics.Timer {
        CoreMetrics.Timer(
            label: name("request_duration_seconds"), dimensions: dimensions + [("status_class", statusClass)],
            preferredDisplayUnit: .seconds, factory: factory)
    }

    private func record(facts: EventFacts) {
        switch facts.kind {
        case .attempt:
            counter("delivery_attempts_total").increment()
        case .retryScheduled:
            counter("delivery_retries_total", ("error_code", code(facts))).increment()
        case .delivered, .failed, .aborted:
            let outcome = facts.kind.rawValue
            var extra = [("outcome", outcome)]
            if facts.kind == .failed { extra.append(("error_code", code(facts))) }
            Counter(label: name("deliveries_total"), dimensions: dimensions + extra, factory: factory).increment()
            if let latency = facts.latency {
                CoreMetrics.Timer(
                    label: name("delivery_duration_seconds"), dimensions: dimensions + [("outcome", outcome)],
                    preferredDisplayUnit: .seconds, factory: factory
                ).recordNanoseconds(DeliveryMetrics.nanoseconds(latency))
            }
        case .circuitOpened:
            gauge("circuit_open").record(1)
        case .circuitClosed:
            gauge("circuit_open").record(0)
        case .sessionExpired:
            counter("sessions_expired_total").increment()
        case .tokenFetched, .authTokenFetched:
            counter("token_fetches_total", ("result", "fetched")).increment()
        case .authTokenRefreshedInBackground:
            counter("token_fetches_total", ("result", "refreshed")).increment()
        case .authFetchFailed:
            counter("token_fetches_total", ("result", "failed")).increment()
        case .authTokenInvalidated, .attemptCompleted, .other:
            // Requests are timed by the measuring transport; kinds added to the SDK later count nowhere yet.
            break
        case .apiUsage:
            if let daily = facts.apiUsage?.apiUsage { recordUsage(daily, counter: "daily") }
            if let bursts = facts.apiUsage?.apiBursts { recordUsage(bursts, counter: "bursts") }
        case .outboxError:
            counter("outbox_errors_total").increment()
        }
    }

    private func recordUsage(_ usage: APIUsage.Counter, counter: String) {
        gauge("org_api_requests_used", ("counter", counter)).record(usage.used)
        gauge("org_api_requests_limit", ("counter", counter)).record(usage.limit)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    private func code(_ facts: EventFacts) -> String {
        (facts.errorCode ?? DeliveryErrorCode.unknown).rawValue
    }

    private func name(_ suffix: String) -> String { "\(prefix)_\(suffix)" }

    private func counter(_ suffix: String, _ extra: (String, String)...) -> Counter {
        Counter(label: name(suffix), dimensions: dimensions + extra, factory: factory)
    }

    private func gauge(_ suffix: String, _ extra: (String, String)...) -> Gauge {
        Gauge(label: name(suffix), dimensions: dimensions + extra, factory: factory)
    }
}
