import FerryCore
import Foundation
import Synchronization

/// An outbox that keeps accepted items in an append-only journal on disk, so nothing accepted is lost when the
/// process crashes, restarts or waits out a long Salesforce outage.
///
/// ```swift
/// let outbox = try FileOutbox(directory: URL(filePath: "/var/lib/myapp/ferry-outbox"))
/// let pipeline = DeliveryPipeline(destination: apex, transport: transport, outbox: outbox)
/// try pipeline.start()             // delivers what a previous run left
/// try await pipeline.send(item)    // returns once the item is on disk
/// ```
///
/// - **Journal**: every change (enqueue, lease, acknowledge, reschedule, dead letter, replay) is one record with
///   a length and a CRC-32, appended to a segment file; segments roll at ``Configuration/segmentSize`` and are
///   deleted once everything in them is acknowledged (live items of mostly acknowledged segments are copied
///   forward first).
/// - **Group commit**: ``enqueue(_:)`` returns once its records are durable under
///   ``Configuration/durability``; concurrent callers share one `fsync`.
/// - **Recovery**: opening replays the journal, skips torn or corrupt records (see ``recoveryReport``), and makes
///   items that were leased at the crash available again; leases do not survive a restart.
/// - **One owner**: a `LOCK` file keeps a second `FileOutbox`, in this process or another, out of the directory
///   (``FileOutboxError/Kind/locked``).
///
/// Memory holds an index of every live item (its stored form, about the size of its payload), so leasing never
/// reads the disk. Call ``close()`` to flush and release the directory; an outbox dropped without `close` stops
/// its writer as a crash would, keeping everything its callers were told is stored.
public final class FileOutbox: OutboxAdministration {
    /// Durable: what it holds survives a crash and is delivered by the next run.
    public var capabilities: OutboxCapabilities { .durable }

    /// The directory holding the journal.
    public let directory: URL
    /// What opening found in the journal.
    public let recoveryReport: RecoveryReport
    /// The configuration in use.
    public let configuration: Configuration

    private let store: JournalStore
    private var path: String { store.directory }

    /// Opens (or creates) the outbox in `directory`, replaying its journal.
    /// - Parameters:
    ///   - directory: The directory; created with its parents if missing. Use one directory per outbox.
    ///   - configuration: Durability, segment size and limits.
    /// - Throws: ``FileOutboxError`` when the configuration fails ``Configuration/validate()``
    ///   (``FileOutboxError/Kind/invalidConfiguration``, before anything is created), the directory is locked by
    ///   another outbox, cannot be created, or its segments cannot be read.
    public convenience init(directory: URL, configuration: Configuration = Configuration()) throws(FileOutboxError) {
        try self.init(directory: directory, configuration: configuration, beforeFlush: nil)
    }

    /// Opens the outbox with `beforeFlush` run on the writer thread before each `fsync` of a segment file (tests hold
    /// a flush in flight with it, to see what the next one covers).
    init(
        directory: URL, configuration: Configuration, beforeFlush: (@Sendable () -> Void)?
    ) throws(FileOutboxError) {
        let path = directory.standardizedFileURL.path
        do {
            try configuration.validate()
        } catch {
            throw FileOutboxError.invalidConfiguration(error, directory: path)
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw FileOutboxError.unusableDirectory(path, reason: "a file, not a directory, is at that path")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw FileOutboxError.unusableDirectory(path, reason: "it cannot be created (\(error.localizedDescription))")
            }
        }
        let lock = try JournalDirectoryLock.acquire(directory: path)
        let recovered: JournalRecovery.Result
        do {
            recovered = try JournalRecovery.run(
                directory: path, segmentSize: configuration.segmentBytes, memory: configuration.acknowledgedIDCount)
        } catch {
            JournalDirectoryLock.release(lock)
            throw error
        }
        self.directory = URL(fileURLWithPath: path, isDirectory: true)
        self.configuration = configuration
        recoveryReport = recovered.report
        store = JournalStore(directory: path, configuration: configuration, recovered: recovered, lock: lock,
            beforeFlush: beforeFlush)
        store.startWriter()
        // Segments emptied before the last stop are deleted now.
        store.compactIfDue()
    }

    /// Never blocks: tells the writer, which stops on its own and releases the directory (see ``close()``).
    deinit {
        store.outboxDropped()
    }

    /// Flushes everything written, stops the writer and releases the directory. Later calls that change the
    /// outbox throw ``FileOutboxError/Kind/closed``; ``counts()`` still answers.
    /// - Throws: ``FileOutboxError/Kind/failed`` when an earlier write had failed (what was acknowledged before it
    ///   is on disk; the rest is recovered by the next open).
    public func close() async throws {
        await store.close()
        if let failure = store.shared.withLock({ $0.writer.failure }) {
            throw FileOutboxError.failed(path, cause: failure)
        }
    }

    // MARK: - Outbox

    /// Stores items not already present (nor remembered as acknowledged, see
    /// ``Configuration/acknowledgedIDMemory``); returns once their records are durable under
    /// ``Configuration/durability``.
    /// - Parameter items: The items.
    /// - Returns: The ids that were added; the others were already present or remembered.
    /// - Throws: ``FileOutboxError`` (too large, closed, or a failed write); none of the items is accepted then.
    @discardableResult
    public func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        let limit = configuration.maximumItemBytes
        var encoded: [(id: String, bytes: [UInt8])] = []
        encoded.reserveCapacity(items.count)
        for item in items {
            let bytes = JournalItemCodec.encode(item)
            guard bytes.count <= limit else {
                throw FileOutboxError.itemTooLarge(id: item.id, size: bytes.count, limit: limit, directory: path)
            }
            encoded.append((item.id, bytes))
        }
        return try await store.commit { shared throws(FileOutboxError) -> (value: Set<String>, sequence: UInt64?) in
            var records: [JournalRecord] = []
            records.reserveCapacity(encoded.count)
            var seen: Set<String> = []
            for (id, bytes) in encoded where !shared.index.contains(id) && !shared.index.isRemembered(id) {
                if encoded.count > 1 { guard seen.insert(id).inserted else { continue } }
                let item = JournalRecord.StoredItem(id: id, bytes: bytes)
                records.append(.enqueue(ordinal: shared.index.takeOrdinal(), item: item))
            }
            // Ids already present may have been written by a caller still waiting: wait for them too.
            guard !records.isEmpty else { return ([], shared.queue.appendedSequence) }
            let (segment, sequence) = shared.append(records)
            var added: Set<String> = []
            added.reserveCapacity(records.count)
            for case .enqueue(let ordinal, let item) in records {
                shared.index.insertIfAbsent(id: item.id, bytes: item.bytes, ordinal: ordinal, home: segment)
                added.insert(item.id)
            }
            return (added, sequence)
        }
    }

    /// Leases up to `limit` items available at `now`, oldest first. The lease is journaled (not flushed: leases
    /// do not survive a restart, where every leased item becomes available again).
    /// - Parameters:
    ///   - limit: The most items.
    ///   - now: The current time.
    ///   - duration: How long the lease lasts.
    /// - Returns: The items.
    /// - Throws: ``FileOutboxError`` when the outbox is closed or failed.
    public func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        guard limit > 0 else { return [] }
        let expiry = now.addingTimeInterval(duration.seconds)
        let leased = try await store.commit(waitForDurability: false) { shared throws(FileOutboxError) in
            let leased = shared.index.lease(limit: limit, at: now, until: expiry)
            guard !leased.isEmpty else { return (value: leased, sequence: nil) }
            return (leased, shared.append(.lease(expiry: expiry, ids: leased.map(\.id))).sequence)
        }
        var items: [DeliveryItem] = []
        items.reserveCapacity(leased.count)
        for (id, bytes, lease) in leased {
            do {
                var item = try JournalItemCodec.decode(bytes)
                item.lease = lease
                items.append(item)
            } catch {
                // Cannot happen for records this outbox wrote (their checksums held); if it does, the item is
                // kept as a dead letter a person can read rather than blocking the queue.
                try await deadLetterUnreadable(id, bytes: bytes, reason: error.reason)
            }
        }
        return items
    }

    /// Extends the leases of items still leased, so a deliverer working on them keeps them. The renewal is
    /// journaled like a lease (not flushed: leases do not survive a restart).
    /// - Parameters:
    ///   - ids: The leased items' ids; others are ignored.
    ///   - now: The current time.
    ///   - duration: The new lease length, from `now`.
    /// - Returns: The ids whose lease was extended.
    /// - Throws: ``FileOutboxError`` when the outbox is closed or failed.
    @discardableResult
    public func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> {
        try await renew(ids, at: now, for: duration) { index, expiry in index.renew(ids, until: expiry) }
    }

    /// Extends the leases of items still leased under the lease they carry (not taken over by another deliverer
    /// since), journaled like ``renew(_:at:for:)``.
    /// - Parameters:
    ///   - items: The leased items, as this outbox handed them out.
    ///   - now: The current time.
    ///   - duration: The new lease length, from `now`.
    /// - Returns: The ids whose lease was extended.
    /// - Throws: ``FileOutboxError`` when the outbox is closed or failed.
    @discardableResult
    public func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) async throws -> Set<String> {
        try await renew(items.map(\.id), at: now, for: duration) { index, expiry in index.renew(leased: items, until: expiry) }
    }

    private func renew(
        _ ids: [String], at now: Date, for duration: Duration, in index: (inout JournalIndex, Date) -> [String]
    ) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        let expiry = now.addingTimeInterval(duration.seconds)
        // A renewal is the same record as a lease: the latest expiry wins.
        return try await store.commit(waitForDurability: false) { shared throws(FileOutboxError) in
            let renewed = index(&shared.index, expiry)
            guard !renewed.isEmpty else { return (value: [], sequence: nil) }
            return (Set(renewed), shared.append(.lease(expiry: expiry, ids: renewed)).sequence)
        }
    }

    /// Removes delivered items; returns once the acknowledgement is durable.
    /// - Parameter ids: The ids of leased items that were delivered (others are ignored).
    /// - Throws: ``FileOutboxError`` when the outbox is closed or a write failed.
    public func acknowledge(_ ids: [String]) async throws {
        try await acknowledge(ids.lazy.map { ($0, nil) }, count: ids.count)
    }

    /// Removes delivered items still leased under the lease they carry; a stale holder's acknowledgement changes
    /// nothing. Returns once the acknowledgement is durable.
    /// - Parameter items: The delivered items, as this outbox handed them out.
    /// - Throws: ``FileOutboxError`` when the outbox is closed or a write failed.
    public func acknowledge(leased items: [DeliveryItem]) async throws {
        try await acknowledge(items.lazy.map { ($0.id, $0.lease) }, count: items.count)
    }

    private func acknowledge(_ held: some Sequence<(String, LeaseToken?)>, count: Int) async throws {
        guard count > 0 else { return }
        try await store.commit { shared throws(FileOutboxError) in
            var acknowledged: [String] = []
            acknowledged.reserveCapacity(count)
            for (id, lease) in held where shared.index.isLeased(id, under: lease) {
                shared.index.remove(id)
                acknowledged.append(id)
            }
            guard !acknowledged.isEmpty else { return ((), nil) }
            let (segment, sequence) = shared.append(.acknowledge(ids: acknowledged))
            for id in acknowledged { shared.index.remember(id, in: segment, limit: shared.acknowledgedIDMemory) }
            return ((), sequence)
        }
    }

    /// Returns a leased item to pending from `date`, storing its updated attempt count; returns once durable.
    /// - Parameters:
    ///   - item: The item as updated by its attempt (ignored unless leased).
    ///   - date: When it may be leased again.
    /// - Throws: ``FileOutboxError`` when the outbox is closed, the item grew too large, or a write failed.
    public func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        try await put(item, state: .pending(date)) { ordinal, stored in
            .reschedule(ordinal: ordinal, availableAt: date, item: stored)
        }
    }

    /// Moves a leased item to the dead letters with its failure; returns once durable.
    /// - Parameters:
    ///   - item: The item as updated by its last attempt (ignored unless leased).
    ///   - failure: Why it failed for good.
    /// - Throws: ``FileOutboxError`` when the outbox is closed, the item grew too large, or a write failed.
    public func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws {
        try await put(item, state: .dead(failure)) { ordinal, stored in
            .deadLetter(ordinal: ordinal, failure: failure, item: stored)
        }
    }

    /// The dead letters, oldest first.
    /// - Parameter limit: The most to return.
    /// - Returns: The dead letters with their reasons.
    /// - Throws: Never for this outbox (memory answers); declared by the protocol.
    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        let stored = store.shared.withLock { $0.index.deadLetters(limit: max(0, limit)) }
        return stored.compactMap { bytes, failure in
            (try? JournalItemCodec.decode(bytes)).map { DeadLetter(item: $0, failure: failure) }
        }
    }

    /// Moves dead letters back to pending with their attempts reset; returns once durable.
    /// - Parameter ids: The dead letters to replay; `nil` for all.
    /// - Returns: How many were moved.
    /// - Throws: ``FileOutboxError`` when the outbox is closed or a write failed.
    public func replayDeadLetters(_ ids: [String]?) async throws -> Int {
        try await store.commit { shared throws(FileOutboxError) in
            let chosen = shared.index.deadLetterIDs(ids.map(Set.init))
            var sequence: UInt64?
            for id in chosen {
                guard let entry = shared.index.entry(id) else { continue }
                let item = JournalRecord.StoredItem(id: id, bytes: JournalItemCodec.resetAttempts(entry.bytes))
                let (segment, appended) = shared.append(.replay(ordinal: entry.ordinal, item: item))
                sequence = appended
                shared.index.put(id: id, bytes: item.bytes, ordinal: entry.ordinal, state: .pending(nil), home: segment)
            }
            return (chosen.count, sequence)
        }
    }

    /// Whether `id` was acknowledged and is still remembered (see ``Configuration/acknowledgedIDMemory``):
    /// enqueueing it again is then ignored.
    /// - Parameter id: An item id.
    /// - Returns: `true` when the outbox remembers delivering it.
    public func wasAcknowledged(_ id: String) -> Bool {
        store.shared.withLock { $0.index.isRemembered(id) }
    }

    /// What the writer has done since the outbox was opened: shows the group commit at work (many records per
    /// write, many writes per flush).
    public var statistics: Statistics { store.shared.withLock { $0.writer.statistics } }

    /// How many items are pending, leased and dead (answered from memory, also after ``close()``).
    /// - Returns: The counts.
    public func counts() async throws -> OutboxCounts {
        store.shared.withLock { $0.index.counts }
    }

    /// The earliest time a pending item becomes available (`distantPast` when one is available now), or `nil`
    /// when nothing is pending or leased.
    /// - Returns: The time.
    public func nextAvailableDate() async throws -> Date? {
        store.shared.withLock { $0.index.nextAvailableDate() }
    }

    /// Returns nothing: a durable outbox keeps what was not delivered for the next run.
    /// - Returns: An empty array.
    public func removeUndelivered() async throws -> [DeliveryItem] { [] }

    // MARK: - Private

    /// Writes a full record for a leased item (reschedule, dead letter) and sets its state.
    private func put(
        _ item: DeliveryItem, state: JournalIndex.PutState,
        record: (_ ordinal: UInt64, _ item: JournalRecord.StoredItem) -> JournalRecord
    ) async throws {
        let bytes = JournalItemCodec.encode(item)
        guard bytes.count <= configuration.maximumItemBytes else {
            throw FileOutboxError.itemTooLarge(
                id: item.id, size: bytes.count, limit: configuration.maximumItemBytes, directory: path)
        }
        try await store.commit { shared throws(FileOutboxError) in
            guard shared.index.isLeased(item.id, under: item.lease), let entry = shared.index.entry(item.id) else {
                return ((), nil)
            }
            let stored = JournalRecord.StoredItem(id: item.id, bytes: bytes)
            let (segment, sequence) = shared.append(record(entry.ordinal, stored))
            shared.index.put(id: item.id, bytes: bytes, ordinal: entry.ordinal, state: state, home: segment)
            return ((), sequence)
        }
    }

    private func deadLetterUnreadable(_ id: String, bytes: [UInt8], reason: String) async throws {
        let failure = DeliveryFailure(
            status: nil, errorCode: .outboxUnreadable,
            message: "the outbox could not read the stored item back (\(reason)); it was not sent. Inspect it with deadLetters(limit:) and send it again",
            retryability: .final)
        try await store.commit { shared throws(FileOutboxError) in
            guard let entry = shared.index.entry(id) else { return ((), nil) }
            let stored = JournalRecord.StoredItem(id: id, bytes: bytes)
            let (segment, sequence) = shared.append(.deadLetter(ordinal: entry.ordinal, failure: failure, item: stored))
            shared.index.put(id: id, bytes: bytes, ordinal: entry.ordinal, state: .dead(failure), home: segment)
            return ((), sequence)
        }
    }
}
