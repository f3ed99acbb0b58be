import FerryCore

/// The totals of a pipeline's work: what a person reads after a run, and what `--report` writes.
public struct DeliveryReport: Sendable, Hashable, Codable {
    /// Latency percentiles from acceptance to delivery, in milliseconds.
    public struct Latency: Sendable, Hashable, Codable {
        /// The median.
        public var p50: Double
        /// The 95th percentile.
        public var p95: Double
        /// The 99th percentile.
        public var p99: Double
        /// The slowest.
        public var max: Double

        /// Creates latency figures.
        /// - Parameters:
        ///   - p50: The median, in ms.
        ///   - p95: The 95th percentile, in ms.
        ///   - p99: The 99th percentile, in ms.
        ///   - max: The slowest, in ms.
        public init(p50: Double, p95: Double, p99: Double, max: Double) {
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
            self.max = max
        }
    }

    /// Items that reached an outcome.
    public var total: Int
    /// Items Salesforce stored.
    public var delivered: Int
    /// Items that could not be delivered.
    public var failed: Int
    /// Items their template chose not to send.
    public var aborted: Int
    /// Delivery attempts, counting each item of a batch.
    public var attempts: Int
    /// Attempts after the first, counting each item.
    public var retries: Int
    /// Access tokens fetched while the pipeline ran, as its token provider reported them (its
    /// `TokenProvider.events`; a provider that publishes no events reports none).
    public var tokenRequests: Int
    /// HTTP requests sent to the org's APIs (each counts against the daily allocation).
    public var apiCalls: Int
    /// Latency from acceptance to delivery; `nil` before anything was delivered.
    public var latency: Latency?
    /// Failed items by error code.
    public var failuresByCode: [String: Int]
    /// The failed items (the first ``failureSampleLimit``), with line numbers and reasons.
    public var failures: [DeliveryOutcome]
    /// How many failed items are not listed in ``failures``.
    public var failuresNotListed: Int
    /// The last API usage Salesforce reported.
    public var apiUsage: APIUsage?
    /// Events that slow subscribers' buffers could not take (records are never dropped; events can be).
    public var eventsDropped: Int

    /// The most failed items listed individually; the rest are counted in ``failuresNotListed``.
    public static let failureSampleLimit = 1000

    /// An empty report.
    public init() {
        total = 0
        delivered = 0
        failed = 0
        aborted = 0
        attempts = 0
        retries = 0
        tokenRequests = 0
        apiCalls = 0
        latency = nil
        failuresByCode = [:]
        failures = []
        failuresNotListed = 0
        apiUsage = nil
        eventsDropped = 0
    }
}
