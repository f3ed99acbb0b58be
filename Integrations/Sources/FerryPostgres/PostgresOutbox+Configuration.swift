import Logging
import PostgresNIO

extension PostgresOutbox {
    /// Where the outbox keeps its rows and how it treats time and delivered items.
    public struct Configuration: Sendable {
        /// The table name (default `ferry_outbox`); the migration also creates `<table>_schema` for its version.
        public var table: String
        /// The schema holding the tables, or `nil` for the connection's `search_path` (usually `public`).
        public var schema: String?
        /// Which clock judges leases and retry times (default ``TimeSource/database``).
        public var timeSource: TimeSource
        /// Whether acknowledged items are kept as small "delivered" rows (their payload dropped), so that enqueuing
        /// the same id again is ignored, as a resend after a crash would be (default `false`: acknowledged rows
        /// are deleted). Remove old ones with ``PostgresOutbox/forgetDelivered(olderThan:)``.
        public var remembersDelivered: Bool
        /// The most rows one `INSERT` carries (default 1,000; PostgreSQL allows 65,535 parameters per statement
        /// and a row takes 9). Larger enqueues are split; ``PostgresOutbox/enqueue(_:)`` wraps the parts in one
        /// transaction.
        public var insertBatchSize: Int
        /// Where PostgresNIO logs the outbox's queries (default: nowhere).
        public var logger: Logger

        /// The largest ``insertBatchSize`` that is used: 6,500 rows of 10 parameters stay within PostgreSQL's 65,535.
        public static let maximumInsertBatchSize = 6_500

        /// Creates a configuration.
        /// - Parameters:
        ///   - table: The table name (default `ferry_outbox`).
        ///   - schema: The schema, or `nil` for the `search_path`.
        ///   - timeSource: Which clock judges leases and retries (default the database's).
        ///   - remembersDelivered: Whether acknowledged ids are remembered (default `false`).
        ///   - insertBatchSize: The most rows per `INSERT` (default 1,000; clamped to 1...6,500).
        ///   - logger: Where PostgresNIO logs the outbox's queries (default: nowhere).
        public init(
            table: String = "ferry_outbox",
            schema: String? = nil,
            timeSource: TimeSource = .database,
            remembersDelivered: Bool = false,
            insertBatchSize: Int = 1_000,
            logger: Logger = Logger(label: "ferry.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        ) {
            self.table = table
            self.schema = schema
            self.timeSource = timeSource
            self.remembersDelivered = remembersDelivered
            self.insertBatchSize = min(max(1, insertBatchSize), Self.maximumInsertBatchSize)
            self.logger = logger
        }
    }
}
