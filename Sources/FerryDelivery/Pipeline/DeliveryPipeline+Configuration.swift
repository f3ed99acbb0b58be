extension DeliveryPipeline {
    /// How a pipeline paces, retries and bounds its work. Every field has a default that suits a production org.
    public struct Configuration: Sendable {
        /// Requests in flight at once (default 8; Salesforce allows 25 long-running requests per org, 5 in
        /// Developer Edition and trial orgs). At least 1 by its type: `configuration.concurrency = 16`, or
        /// `try PositiveCount(n, for: "concurrency")` for a value read at run time.
        public var concurrency: PositiveCount
        /// Items accepted but not yet finished before `send` suspends (default 10,000): backpressure instead of
        /// unbounded memory. At least 1 by its type.
        public var queueCapacity: PositiveCount
        /// How long a deliverer waits for a batch to fill up when the destination takes batches (default 20 ms;
        /// zero sends at once). Zero or more, and shorter than a third of ``leaseDuration``: see ``validate()``.
        public var batchLinger: Duration
        /// An optional average limit on requests per second, with bursts of up to one second's worth.
        public var requestsPerSecond: RequestRate?
        /// Decides retries (default ``ExponentialBackoff``).
        public var retryPolicy: any RetryPolicy
        /// When to pause the destination after consecutive transient failures.
        public var circuitBreaker: CircuitBreaker.Configuration
        /// How long a deliverer holds leased items before the outbox gives them to another (default 5 minutes;
        /// longer than any request's timeout). At least ``minimumLeaseDuration`` (100 ms): see ``validate()``.
        public var leaseDuration: Duration
        /// Called once for every item's outcome, synchronously, before it is counted in the report: never
        /// dropped, unlike events. Keep it quick.
        public var outcomeHandler: (@Sendable (DeliveryOutcome) -> Void)?
        /// How often an idle deliverer looks in the outbox again although nothing woke it (default `nil`: never).
        /// Set it when other processes add items to a shared outbox (a database written by several instances, or by
        /// the host in its own transactions): this pipeline hears only of the items it enqueued itself. At least
        /// 1 ms when set (shorter would look in the outbox continuously): see ``validate()``.
        public var idlePollInterval: Duration?
        /// The share of the org's daily API allocation kept for its other integrations (default 10 %): once an
        /// answer shows the org at or below it, no request starts: the rest stay in a durable outbox, or fail
        /// `API_RESERVE_REACHED` with the in-memory one. Share one instance between pipelines sending to the same
        /// org; `nil` (or `APIReserve(percent: 0)`) turns it off.
        public var apiReserve: APIReserve?

        /// Creates a configuration. Counts and rates are checked by their types; durations and the relations
        /// between settings by ``validate()``, which a pipeline runs before it starts.
        /// - Parameters:
        ///   - concurrency: Requests in flight at once (default 8).
        ///   - queueCapacity: Accepted, unfinished items before `send` suspends (default 10,000).
        ///   - batchLinger: The wait for a batch to fill (default 20 ms).
        ///   - requestsPerSecond: An optional average request rate limit.
        ///   - retryPolicy: The retry policy (default exponential backoff).
        ///   - circuitBreaker: The circuit breaker settings.
        ///   - leaseDuration: How long leased items are held (default 5 minutes).
        ///   - outcomeHandler: Called once per outcome.
        ///   - idlePollInterval: How often an idle deliverer looks in a shared outbox again (default never).
        ///   - apiReserve: The share of the org's daily API allocation kept (default 10 %; `nil`: none).
        public init(
            concurrency: PositiveCount = 8,
            queueCapacity: PositiveCount = 10_000,
            batchLinger: Duration = .milliseconds(20),
            requestsPerSecond: RequestRate? = nil,
            retryPolicy: any RetryPolicy = ExponentialBackoff(),
            circuitBreaker: CircuitBreaker.Configuration = CircuitBreaker.Configuration(),
            leaseDuration: Duration = .seconds(300),
            outcomeHandler: (@Sendable (DeliveryOutcome) -> Void)? = nil,
            idlePollInterval: Duration? = nil,
            apiReserve: APIReserve? = APIReserve()
        ) {
            self.apiReserve = apiReserve
            self.concurrency = concurrency
            self.queueCapacity = queueCapacity
            self.batchLinger = batchLinger
            self.requestsPerSecond = requestsPerSecond
            self.retryPolicy = retryPolicy
            self.circuitBreaker = circuitBreaker
            self.leaseDuration = leaseDuration
            self.outcomeHandler = outcomeHandler
            self.idlePollInterval = idlePollInterval
        }

        /// The shortest ``leaseDuration``: 100 ms. A deliverer renews its leases every third of the lease
        /// (33 ms at this minimum), and each renewal is an outbox write; a shorter lease would be renewed more often
        /// than a request is answered, so the renewals, not the deliveries, would keep the outbox busy.
        public static let minimumLeaseDuration: Duration = .milliseconds(100)

        /// The shortest ``idlePollInterval``: 1 ms (shorter would look in the outbox continuously).
        public static let minimumIdlePollInterval: Duration = .milliseconds(1)

        /// Checks the durations and the relations between settings that their types cannot: a pipeline calls it
        /// before it starts (``DeliveryPipeline/send(_:)`` throws ``DeliveryError/invalidConfiguration(_:)`` and no
        /// deliverer starts), `SalesforceExporter.init` throws the error, and `ferry send` reports it as a usage
        /// error. Call it yourself to check a configuration read at run time before building a pipeline.
        ///
        /// - ``batchLinger`` is zero or more, and shorter than a third of ``leaseDuration``: leased items wait out
        ///   the linger before their first renewal, which comes a third of a lease later, so a longer linger could
        ///   let their lease lapse and the items go out twice.
        /// - ``leaseDuration`` is at least ``minimumLeaseDuration``.
        /// - ``idlePollInterval``, when set, is at least ``minimumIdlePollInterval``.
        /// - ``circuitBreaker``: see ``CircuitBreaker/Configuration/validate()``.
        /// - ``retryPolicy``: see ``RetryPolicy/validate()`` (``ExponentialBackoff/validate()`` for the default).
        /// - Throws: ``ConfigurationError`` naming the first setting that is wrong, why, and what to do.
        public func validate() throws(ConfigurationError) {
            try ConfigurationError.check(
                notNegative: batchLinger, "batchLinger", meaning: "how long a deliverer waits for a batch to fill")
            try ConfigurationError.check(
                leaseDuration, atLeast: Self.minimumLeaseDuration, "leaseDuration",
                meaning: "how long a deliverer holds the items it leased",
                reason: "leases are renewed every third of it, and a shorter lease would be renewed more often than "
                    + "a request is answered")
            guard batchLinger * 3 < leaseDuration else {
                throw ConfigurationError.inconsistent(
                    "batchLinger",
                    "batchLinger (\(batchLinger)) must be shorter than a third of leaseDuration (\(leaseDuration)): "
                        + "leased items wait out the linger before their first lease renewal, which comes a third of "
                        + "a lease later, so the lease could lapse and the items go out twice; shorten batchLinger "
                        + "or lengthen leaseDuration")
            }
            if let idlePollInterval {
                try ConfigurationError.check(
                    idlePollInterval, atLeast: Self.minimumIdlePollInterval, "idlePollInterval",
                    meaning: "how often an idle deliverer looks in the outbox again",
                    reason: "shorter would look continuously; pass nil to look only when woken")
            }
            try circuitBreaker.validate()
            try retryPolicy.validate()
        }
    }
}
