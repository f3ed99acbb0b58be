extension PostgresOutbox {
    /// Which clock decides when leases expire and retries become due.
    ///
    /// Instances on different machines have clocks that disagree by milliseconds to (misconfigured) minutes. A
    /// lease judged by each instance's own clock expires early for an instance whose clock runs ahead: it takes
    /// items another instance is still delivering. ``database`` avoids that: every time the outbox stores or
    /// compares is the server's, and the caller's clock only measures durations (a retry's delay).
    public struct TimeSource: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable { case database, caller }
        let code: Code

        /// The database server's clock (`now()`) for every stored and compared time; the `now` that
        /// ``PostgresOutbox/lease(limit:at:for:)`` receives is ignored, and a reschedule's date is turned into a
        /// delay from the outbox's clock. The default, and the right choice for several instances.
        public static let database = TimeSource(code: .database)
        /// The times the caller passes (and the outbox's clock for enqueues): only for one instance, or for tests
        /// that drive time with a `ManualClock`. Instances whose clocks disagree may take each other's leases early.
        public static let caller = TimeSource(code: .caller)

        /// `"database"` or `"caller"`.
        public var description: String { code.rawValue }
    }
}
