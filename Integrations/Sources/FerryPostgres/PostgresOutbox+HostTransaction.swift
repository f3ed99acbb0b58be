import FerryDelivery
import PostgresNIO

extension PostgresOutbox {
    /// Stores items on the host's own connection, inside the transaction the host has open there: the items are
    /// committed with the host's own writes, or rolled back with them. This is the transactional outbox: an
    /// export is never lost after the host's write committed, and never sent for a write that rolled back.
    ///
    /// ```swift
    /// try await client.withTransaction(logger: logger) { connection in
    ///     try await connection.query("INSERT INTO surveys (id, score) VALUES (\(id), \(score))", logger: logger)
    ///     try await outbox.enqueue([DeliveryItem(id: "survey-\(id)", payload: ["npsScore": .int(score)])],
    ///                              on: connection)
    /// }
    /// ```
    ///
    /// Items without an `acceptedAt` are stamped with the time of the enqueue, so pipeline reports measure their
    /// end-to-end latency. Pipelines in other processes (and this one) notice the items at their next poll: set
    /// `DeliveryPipeline.Configuration.idlePollInterval`.
    /// - Parameters:
    ///   - items: The items; ids already in the table are ignored.
    ///   - connection: The host's connection, normally inside `withTransaction`. Without an open transaction each
    ///     ``Configuration/insertBatchSize`` items commit on their own.
    /// - Returns: The ids that were added (visible to others once the host's transaction commits).
    /// - Throws: ``PostgresOutboxError``; the host's transaction is then aborted and should be rolled back.
    @discardableResult
    public func enqueue(_ items: [DeliveryItem], on connection: PostgresConnection) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        do {
            return try await insert(items, on: connection)
        } catch {
            throw failure(error, "enqueue")
        }
    }
}
