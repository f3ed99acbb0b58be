import FerryCore
import FerryDelivery
import Foundation
import Logging
import PostgresNIO

/// An ``/FerryDelivery/Outbox`` in a PostgreSQL table: the transactional outbox for host applications that run as several
/// instances. The host writes export items in the same transaction as its own data
/// (``enqueue(_:on:)``), and every instance's ``/FerryDelivery/DeliveryPipeline`` leases, delivers and acknowledges them.
///
/// ```swift
/// let outbox = try PostgresOutbox(client: client)   // `client.run()` runs in the host's service group
/// try await outbox.migrate()                         // idempotent; safe from every instance at start-up
/// var configuration = DeliveryPipeline.Configuration(concurrency: 8)
/// configuration.idlePollInterval = .seconds(1)       // notice items other instances enqueued
/// let pipeline = DeliveryPipeline(destination: apex, transport: transport, outbox: outbox,
///                                 configuration: configuration)
/// ```
///
/// - **Sharing**: ``lease(limit:at:for:)`` is one `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`
///   statement, so instances never wait for each other and never take the same item while its lease runs.
/// - **Dead instances**: a lease ends at its expiry; the items are then leased again by whoever asks. Each
///   outbox has an ``instanceID`` recorded as the lease owner, and acknowledges, reschedules and dead-letters
///   only rows it still owns: an instance that wakes up after its lease was taken over changes nothing.
/// - **Time**: by default the database's clock judges leases and retries (see ``TimeSource``), so instances with
///   skewed clocks do not take each other's leases early.
/// - **Delivered ids**: acknowledged rows are deleted; with ``Configuration/remembersDelivered`` they are kept as
///   small tombstones so a resend of the same id is ignored.
public final class PostgresOutbox: OutboxAdministration {
    /// Durable: rows outlive every instance and are delivered by whichever instance leases them next.
    public var capabilities: OutboxCapabilities { .durable }

    /// The client the outbox queries through; the host runs it (`client.run()`).
    public let client: PostgresClient
    /// The configuration in use.
    public let configuration: Configuration
    /// This outbox's lease owner token: leases it takes carry it, and it changes only rows that still carry it.
    public let instanceID: UUID
    let clock: any FerryClock
    let names: TableNames

    /// Creates an outbox over `client`. Nothing is queried until the first call; run ``migrate()`` once at
    /// start-up (or apply ``migrationSQL(table:schema:)`` with your own migration tool).
    /// - Parameters:
    ///   - client: A PostgresNIO client whose `run()` the host keeps running.
    ///   - configuration: Table, time source, delivered-id memory.
    ///   - clock: Measures retry delays (with ``TimeSource/database``) or supplies times (with
    ///     ``TimeSource/caller``); default the system clock.
    ///   - instanceID: The lease owner token (default a random one; give each process its own).
    /// - Throws: ``PostgresOutboxError/Kind/invalidTableName`` when the table or schema is not a plain identifier.
    public init(
        client: PostgresClient, configuration: Configuration = Configuration(), clock: any FerryClock = SystemClock(),
        instanceID: UUID = UUID()
    ) throws(PostgresOutboxError) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.instanceID = instanceID
        names = try TableNames(table: configuration.table, schema: configuration.schema)
    }

    var logger: Logger { configuration.logger }

    /// The rows per `INSERT`, clamped again in case the configuration was changed after its `init`.
    var insertBatchSize: Int { min(max(1, configuration.insertBatchSize), Configuration.maximumInsertBatchSize) }

    /// The caller's time to store, or `nil` when the database's `now()` decides.
    private func callerTime(_ date: Date) -> Date? { configuration.timeSource == .caller ? date : nil }

    func failure(_ error: any Error, _ operation: String) -> PostgresOutboxError {
        PostgresOutboxError.wrapping(error, operation: operation, table: names.display)
    }

    /// Runs a statement that leases or settles rows (lease, acknowledge, reschedule, dead-letter) to its end even
    /// when the calling task is cancelled, as `FileOutbox`'s writes are. A pipeline stopped by cancellation, or by
    /// a drain deadline that has passed, hands its leased items back from a cancelled task: a cancelled hand-back
    /// would leave them leased by a stopped instance until the lease expires (5 minutes by default), a cancelled
    /// acknowledgement would have a delivered item sent again, and a lease cancelled after the server ran it
    /// would hold rows nobody delivers.
    func settle<Result: Sendable>(
        _ operation: String, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        do {
            // An unstructured task does not inherit the caller's cancellation; the caller waits for its answer.
            return try await Task { try await body() }.value
        } catch {
            throw failure(error, operation)
        }
    }

    func settle(_ query: PostgresQuery, _ operation: String) async throws {
        let client = self.client
        let logger = self.logger
        try await settle(operation) { _ = try await client.query(query, logger: logger) }
    }

    // MARK: - Outbox

    /// Stores items whose ids are not in the table yet (pending, leased, dead, or remembered as delivered). More
    /// than ``Configuration/insertBatchSize`` items are inserted in one transaction: all or none. Items without an
    /// `acceptedAt` are stamped with the time of the enqueue, so reports measure their latency.
    /// - Parameter items: The items.
    /// - Returns: The ids that were added.
    /// - Throws: ``PostgresOutboxError``; none of the items is stored then.
    @discardableResult
    public func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        do {
            if items.count <= insertBatchSize {
                return try await client.withConnection { connection in try await self.insert(items, on: connection) }
            }
            return try await client.withTransaction(logger: logger) { connection in
                try await self.insert(items, on: connection)
            }
        } catch {
            throw failure(error, "enqueue")
        }
    }

    /// Inserts `items` on `connection`, in whatever transaction it has open.
    func insert(_ items: [DeliveryItem], on connection: PostgresConnection) async throws -> Set<String> {
        var added = Set<String>(minimumCapacity: items.count)
        let now = callerTime(clock.now)
        let batch = insertBatchSize
        var start = 0
        while start < items.count {
            let end = min(start + batch, items.count)
            var sql = PostgresQuery.StringInterpolation(literalCapacity: 200 + 64 * (end - start),
                                                        interpolationCount: 10 * (end - start))
            sql.appendLiteral("INSERT INTO \(names.items) (id, payload, route, sequence, accepted_at, attempts, first_attempt_at, available_at, ordering_key) VALUES ")
            for index in start..<end {
                let item = items[index]
                sql.appendLiteral(index == start ? "(" : ", (")
                sql.appendInterpolation(item.id)
                sql.appendLiteral(", ")
                sql.appendInterpolation(item.payload.text)
                sql.appendLiteral("::json, ")
                sql.appendInterpolation(item.route)
                sql.appendLiteral(", ")
                sql.appendInterpolation(item.sequence)
                sql.appendLiteral("::bigint, coalesce(")
                sql.appendInterpolation(item.acceptedAt)
                sql.appendLiteral("::timestamptz, ")
                sql.appendInterpolation(now)
                sql.appendLiteral("::timestamptz, now()), ")
                sql.appendInterpolation(item.attempts)
                sql.appendLiteral(", ")
                sql.appendInterpolation(item.firstAttemptAt)
                sql.appendLiteral("::timestamptz, coalesce(")
                sql.appendInterpolation(now)
                sql.appendLiteral("::timestamptz, now()), ")
                sql.appendInterpolation(item.orderingKey)
                sql.appendLiteral(")")
            }
            sql.appendLiteral(" ON CONFLICT (id) DO NOTHING RETURNING id")
            let rows = try await connection.query(PostgresQuery(stringInterpolation: sql), logger: logger)
            for try await id in rows.decode(String.self) { added.insert(id) }
            start = end
        }
        return added
    }

    /// Leases up to `limit` items that are pending and due, or whose lease expired, oldest first, in one
    /// statement that skips rows other instances are leasing at the same moment.
    /// - Parameters:
    ///   - limit: The most items.
    ///   - now: The caller's time; used only with ``TimeSource/caller`` (otherwise the database's `now()`).
    ///   - duration: How long the lease lasts.
    /// - Returns: The items, oldest first.
    /// - Throws: ``PostgresOutboxError``.
    public func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        guard limit > 0 else { return [] }
        let at = callerTime(now)
        let table = names.items
        let query: PostgresQuery = """
            UPDATE \(unescaped: table) SET state = 1, lease_owner = \(instanceID),
                available_at = coalesce(\(at)::timestamptz, now()) + make_interval(secs => \(duration.seconds))
            WHERE id IN (
                SELECT id FROM \(unescaped: table) AS candidate
                WHERE state < 2 AND available_at <= coalesce(\(at)::timestamptz, now())
                    AND (ordering_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM \(unescaped: table) AS earlier
                        WHERE earlier.ordering_key = candidate.ordering_key AND earlier.state < 2
                            AND earlier.position < candidate.position))
                ORDER BY available_at, position LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: ItemRow.columns)
            """
        // Run to its end even in a cancelled task (see `settle`): the server may have leased the rows already, and
        // a lease whose answer is dropped holds them for a stopped instance until it expires. Items leased by a
        // stopping pipeline are handed back by it.
        let client = self.client
        let logger = self.logger
        var rows = try await settle("lease") {
            var rows: [ItemRow] = []
            for try await row in try await client.query(query, logger: logger) { rows.append(try ItemRow(row)) }
            return rows
        }
        rows.sort { $0.position < $1.position }
        var items: [DeliveryItem] = []
        items.reserveCapacity(rows.count)
        for row in rows {
            do {
                items.append(try row.item())
            } catch {
                // The server checks that `payload` is JSON, so only a foreign writer gets here: keep the row as a
                // dead letter a person can read instead of leasing it again and again.
                let reason = DeliveryFailure(
                    status: nil, errorCode: .outboxUnreadable,
                    message: "the stored payload could not be read back (\(error)); fix or delete the row",
                    retryability: .final)
                try await deadLetter(row.fallbackItem(), failure: reason)
            }
        }
        return items
    }

    /// Extends the leases this outbox still holds, in one statement, so a deliverer still working on the items
    /// keeps them. Rows leased by another instance since (after this one's lease ran out), or finished, are left
    /// alone and not returned.
    /// - Parameters:
    ///   - ids: The leased ids.
    ///   - now: The caller's time; used only with ``TimeSource/caller`` (otherwise the database's `now()`).
    ///   - duration: How long the leases last from now.
    /// - Returns: The ids whose lease was extended.
    /// - Throws: ``PostgresOutboxError``.
    @discardableResult
    public func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let query: PostgresQuery = """
            UPDATE \(unescaped: names.items)
            SET available_at = coalesce(\(callerTime(now))::timestamptz, now()) + make_interval(secs => \(duration.seconds))
            WHERE id = ANY(\(ids)) AND state = 1 AND lease_owner = \(instanceID)
            RETURNING id
            """
        var renewed: Set<String> = []
        do {
            for try await id in try await client.query(query, logger: logger).decode(String.self) { renewed.insert(id) }
        } catch {
            throw failure(error, "renew")
        }
        return renewed
    }

    /// Returns nothing: a durable outbox keeps what was not delivered for the next run.
    /// - Returns: An empty array.
    public func removeUndelivered() async throws -> [DeliveryItem] { [] }

    /// Removes delivered items that this outbox still holds the lease of (with
    /// ``Configuration/remembersDelivered``: marks them delivered and drops their payload). Ids leased by another
    /// instance since, or unknown, are ignored.
    /// - Parameter ids: The delivered ids.
    /// - Throws: ``PostgresOutboxError``.
    public func acknowledge(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        let table = names.items
        let query: PostgresQuery =
            if configuration.remembersDelivered {
                """
                UPDATE \(unescaped: table) SET state = 3, payload = 'null', lease_owner = NULL,
                    finished_at = coalesce(\(callerTime(clock.now))::timestamptz, now())
                WHERE id = ANY(\(ids)) AND state = 1 AND lease_owner = \(instanceID)
                """
            } else {
                "DELETE FROM \(unescaped: table) WHERE id = ANY(\(ids)) AND state = 1 AND lease_owner = \(instanceID)"
            }
        try await settle(query, "acknowledge")
    }

    /// Makes an item this outbox still holds pending again from `date`, storing its updated attempt count. With
    /// ``TimeSource/database`` the date is taken as a delay from the outbox's clock and added to the database's
    /// `now()`. Ignored when another instance has since leased the item.
    /// - Parameters:
    ///   - item: The item as updated by the attempt.
    ///   - date: When it may be leased again.
    /// - Throws: ``PostgresOutboxError``.
    public func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        let at = callerTime(date)
        let delay = at == nil ? date.timeIntervalSince(clock.now) : 0
        let query: PostgresQuery = """
            UPDATE \(unescaped: names.items) SET state = 0, lease_owner = NULL, payload = \(item.payload.text)::json,
                route = \(item.route), sequence = \(item.sequence)::bigint, accepted_at = \(item.acceptedAt)::timestamptz,
                attempts = \(item.attempts), first_attempt_at = \(item.firstAttemptAt)::timestamptz,
                available_at = coalesce(\(at)::timestamptz, now() + make_interval(secs => \(delay)))
            WHERE id = \(item.id) AND state = 1 AND lease_owner = \(instanceID)
            """
        try await settle(query, "reschedule")
    }

    /// Moves an item this outbox still holds to the dead letters with its failure. Ignored when another instance
    /// has since leased the item.
    /// - Parameters:
    ///   - item: The item as updated by its last attempt.
    ///   - reason: Why it failed for good.
    /// - Throws: ``PostgresOutboxError``.
    public func deadLetter(_ item: DeliveryItem, failure reason: DeliveryFailure) async throws {
        let failureJSON = String(decoding: try JSONEncoder().encode(reason), as: UTF8.self)
        let query: PostgresQuery = """
            UPDATE \(unescaped: names.items) SET state = 2, lease_owner = NULL, payload = \(item.payload.text)::json,
                route = \(item.route), sequence = \(item.sequence)::bigint, accepted_at = \(item.acceptedAt)::timestamptz,
                attempts = \(item.attempts), first_attempt_at = \(item.firstAttemptAt)::timestamptz,
                failure = \(failureJSON)::json, finished_at = coalesce(\(callerTime(clock.now))::timestamptz, now())
            WHERE id = \(item.id) AND state = 1 AND lease_owner = \(instanceID)
            """
        try await settle(query, "deadLetter")
    }

    /// The dead letters, oldest first (by when they died).
    /// - Parameter limit: The most to return.
    /// - Returns: The dead letters with their failures.
    /// - Throws: ``PostgresOutboxError``.
    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        guard limit > 0 else { return [] }
        let query: PostgresQuery = """
            SELECT \(unescaped: ItemRow.columns), failure::text FROM \(unescaped: names.items)
            WHERE state = 2 ORDER BY finished_at, position LIMIT \(limit)
            """
        var letters: [DeadLetter] = []
        do {
            let rows = try await client.query(query, logger: logger)
            for try await row in rows {
                let item = try ItemRow(row)
                let text = try row.makeRandomAccess()[ItemRow.columnCount].decode(String?.self)
                let reason = text.flatMap { try? JSONDecoder().decode(DeliveryFailure.self, from: Data($0.utf8)) }
                    ?? DeliveryFailure(status: nil, errorCode: .outboxUnreadable,
                                       message: "the stored failure could not be read back: \(text ?? "none")",
                                       retryability: .final)
                letters.append(DeadLetter(item: (try? item.item()) ?? item.fallbackItem(), failure: reason))
            }
        } catch {
            throw failure(error, "deadLetters")
        }
        return letters
    }

    /// Makes dead letters pending again with their attempts reset.
    /// - Parameter ids: Which; `nil` for all.
    /// - Returns: How many moved.
    /// - Throws: ``PostgresOutboxError``.
    public func replayDeadLetters(_ ids: [String]?) async throws -> Int {
        let now = callerTime(clock.now)
        let table = names.items
        let query: PostgresQuery =
            if let ids {
                """
                UPDATE \(unescaped: table) SET state = 0, attempts = 0, first_attempt_at = NULL, failure = NULL,
                    finished_at = NULL, available_at = coalesce(\(now)::timestamptz, now())
                WHERE state = 2 AND id = ANY(\(ids)) RETURNING 1
                """
            } else {
                """
                UPDATE \(unescaped: table) SET state = 0, attempts = 0, first_attempt_at = NULL, failure = NULL,
                    finished_at = NULL, available_at = coalesce(\(now)::timestamptz, now())
                WHERE state = 2 RETURNING 1
                """
            }
        do {
            var moved = 0
            for try await _ in try await client.query(query, logger: logger) { moved += 1 }
            return moved
        } catch {
            throw failure(error, "replayDeadLetters")
        }
    }

    /// How many items are pending, leased (including leases that expired and were not taken again yet) and dead.
    /// - Returns: The counts.
    /// - Throws: ``PostgresOutboxError``.
    public func counts() async throws -> OutboxCounts {
        let query: PostgresQuery = """
            SELECT count(*) FILTER (WHERE state = 0), count(*) FILTER (WHERE state = 1),
                count(*) FILTER (WHERE state = 2) FROM \(unescaped: names.items)
            """
        do {
            for try await (pending, leased, dead) in try await client.query(query, logger: logger).decode((Int, Int, Int).self) {
                return OutboxCounts(pending: pending, leased: leased, dead: dead)
            }
            return OutboxCounts(pending: 0, leased: 0, dead: 0)
        } catch {
            throw failure(error, "counts")
        }
    }

    /// The earliest time a pending item becomes due or a lease expires, on the caller's clock: with
    /// ``TimeSource/database`` the database's distance to that time is added to the outbox's clock.
    /// - Returns: The time, or `nil` when nothing is pending or leased.
    /// - Throws: ``PostgresOutboxError``.
    public func nextAvailableDate() async throws -> Date? {
        let query: PostgresQuery = """
            SELECT min(available_at), extract(epoch FROM min(available_at) - now())::float8
            FROM \(unescaped: names.items) WHERE state < 2
            """
        do {
            for try await (date, delay) in try await client.query(query, logger: logger).decode((Date?, Double?).self) {
                guard let date, let delay else { return nil }
                return configuration.timeSource == .caller ? date : clock.now.addingTimeInterval(delay)
            }
            return nil
        } catch {
            throw failure(error, "nextAvailableDate")
        }
    }

    // MARK: - Beyond the protocol

    /// Deletes the delivered rows kept by ``Configuration/remembersDelivered`` that were acknowledged more than
    /// `age` ago. Run it periodically (from one instance, or all: it is idempotent).
    /// - Parameter age: How long delivered ids are remembered.
    /// - Returns: How many rows were deleted.
    /// - Throws: ``PostgresOutboxError``.
    @discardableResult
    public func forgetDelivered(olderThan age: Duration) async throws -> Int {
        let query: PostgresQuery = """
            DELETE FROM \(unescaped: names.items)
            WHERE state = 3 AND finished_at < coalesce(\(callerTime(clock.now))::timestamptz, now()) - make_interval(secs => \(age.seconds))
            RETURNING 1
            """
        do {
            var deleted = 0
            for try await _ in try await client.query(query, logger: logger) { deleted += 1 }
            return deleted
        } catch {
            throw failure(error, "forgetDelivered")
        }
    }
}
