import FerryCore
import Foundation
import Synchronization

/// An outbox that keeps accepted items in an append-only journal on disk, so nothing accepted is lost when the
/// process crashes, restarts or waits out a long Salesforce outage.
///
/// ```swift
/// let outbox = try FileOutbox(directory: URL(filePath: "/var/lib/myapp/ferry-outbox"))
/// let pipeline = DeliveryPipeline(destination: apex, transport: transport, outbox: outbox)
/// pipeline.start()                 // delivers what a previous run left
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
    /// - Throws: ``FileOutboxError`` when the directory is locked by another outbox, cannot be created, or its
    ///   segments cannot be read.
    public init(directory: URL, configuration: Configuration = Configuration()) throws(FileOutboxError) {
        let path = directory.standardizedFileURL.path
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
                directory: path, segmentSize: configuration.segmentSize, memory: configuration.acknowledgedIDMemory)
        } catch {
            JournalDirectoryLock.release(lock)
            throw error
        }
        self.directory = URL(fileURLWithPath: path, isDirectory: true)
        self.configuration = configuration
        recoveryReport = recovered.report
        store = JournalStore(directory: path, configuration: configuration, recovered: recovered, lockDescriptor: lock)
        store.startWriter()
        // Segments emptied before the last stop are deleted now.
        let wake = store.shared.withLock { shared -> Bool in
            shared.compactIfDue()
            return shared.takeWakeup()
        }
        if wake { store.wakeWriter() }
    }

    deinit {
        store.abandon()
    }

    /// Flushes everything written, stops the writer and releases the directory. Later calls that change the
    /// outbox throw ``FileOutboxError/Kind/closed``; ``counts()`` still answers.
    /// - Throws: ``FileOutboxError/Kind/failed`` when an earlier write had failed (what was acknowledged before it
    ///   is on disk; the rest is recovered by the next open).
    public func close() async throws {
        await store.close()
        if let failure = store.shared.withLock({ $0.failure }) {
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
        let limit = configuration.maximumItemSize
        var encoded: [(id: String, bytes: [UInt8])] = []
        encoded.reserveCapacity(items.count)
        for item in items {
            let bytes = JournalItemCodec.encode(item)
            guard bytes.count <= limit else {
                throw FileOutboxError.itemTooLarge(id: item.id, size: bytes.count, limit: limit, directory: path)
            }
            encoded.append((item.id, bytes))
        }
        let (sequence, wake, addedIDs) = try store.shared.withLock { shared throws(FileOutboxError) -> (UInt64, Bool, Set<String>) in
            try shared.checkUsable()
            var frames: [UInt8] = []
            frames.reserveCapacity(encoded.reduce(0) { $0 + $1.bytes.count + 24 })
            var added: [(id: String, bytes: [UInt8], ordinal: UInt64)] = []
            added.reserveCapacity(encoded.count)
            var seen: Set<String> = []
            for (id, bytes) in encoded where !shared.index.contains(id) && !shared.index.isRemembered(id) {
                if encoded.count > 1 { guard seen.insert(id).inserted else { continue } }
                let ordinal = shared.index.takeOrdinal()
                JournalFrame.append(to: &frames) { body in
                    body.append(JournalRecordKind.enqueue.rawValue)
                    body.appendUInt64(ordinal)
                    body.append(contentsOf: bytes)
                }
                added.append((id, bytes, ordinal))
            }
            // Ids already present may have been written by a caller still waiting: wait for them too.
            guard !added.isEmpty else { return (shared.queue.appendedSequence, false, []) }
            let (segment, sequence) = shared.append(frames)
            for item in added {
                shared.index.insertIfAbsent(id: item.id, bytes: item.bytes, ordinal: item.ordinal, home: segment)
            }
            shared.compactIfDue()
            return (sequence, shared.takeWakeup(), Set(added.map { $0.id }))
        }
        if wake { store.wakeWriter() }
        try await store.waitDurable(sequence)
        return addedIDs
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
        let (leased, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> ([(id: String, bytes: [UInt8], lease: LeaseToken)], Bool) in
            try shared.checkUsable()
            let leased = shared.index.lease(limit: limit, at: now, until: expiry)
            guard !leased.isEmpty else { return ([], false) }
            _ = shared.append(Self.leaseFrame(leased.map(\.id), until: expiry))
            return (leased, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
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
        let (renewed, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> ([String], Bool) in
            try shared.checkUsable()
            let renewed = index(&shared.index, expiry)
            guard !renewed.isEmpty else { return ([], false) }
            _ = shared.append(Self.leaseFrame(renewed, until: expiry))
            return (renewed, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
        return Set(renewed)
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
        let (sequence, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> (UInt64, Bool) in
            try shared.checkUsable()
            var acknowledged: [String] = []
            acknowledged.reserveCapacity(count)
            for (id, lease) in held where shared.index.isLeased(id, under: lease) {
                shared.index.remove(id)
                acknowledged.append(id)
            }
            guard !acknowledged.isEmpty else { return (0, false) }
            var frame: [UInt8] = []
            JournalFrame.append(to: &frame) { body in
                body.append(JournalRecordKind.acknowledge.rawValue)
                body.appendUInt32(UInt32(acknowledged.count))
                for id in acknowledged { body.appendString(id) }
            }
            let (segment, sequence) = shared.append(frame)
            for id in acknowledged { shared.index.remember(id, in: segment, limit: shared.acknowledgedIDMemory) }
            shared.compactIfDue()
            return (sequence, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
        try await store.waitDurable(sequence)
    }

    /// Returns a leased item to pending from `date`, storing its updated attempt count; returns once durable.
    /// - Parameters:
    ///   - item: The item as updated by its attempt (ignored unless leased).
    ///   - date: When it may be leased again.
    /// - Throws: ``FileOutboxError`` when the outbox is closed, the item grew too large, or a write failed.
    public func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        try await put(item, kind: .reschedule, state: .pending(date)) { body in body.appendDate(date) }
    }

    /// Moves a leased item to the dead letters with its failure; returns once durable.
    /// - Parameters:
    ///   - item: The item as updated by its last attempt (ignored unless leased).
    ///   - failure: Why it failed for good.
    /// - Throws: ``FileOutboxError`` when the outbox is closed, the item grew too large, or a write failed.
    public func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws {
        try await put(item, kind: .deadLetter, state: .dead(failure)) { body in
            JournalItemCodec.append(failure, to: &body)
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
        let (moved, sequence, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> (Int, UInt64, Bool) in
            try shared.checkUsable()
            let chosen = shared.index.deadLetterIDs(ids.map(Set.init))
            guard !chosen.isEmpty else { return (0, 0, false) }
            var sequence: UInt64 = 0
            for id in chosen {
                guard let entry = shared.index.entry(id) else { continue }
                let bytes = JournalItemCodec.resetAttempts(entry.bytes)
                var frame: [UInt8] = []
                JournalFrame.append(to: &frame) { body in
                    body.append(JournalRecordKind.replay.rawValue)
                    body.appendUInt64(entry.ordinal)
                    body.append(contentsOf: bytes)
                }
                let (segment, appended) = shared.append(frame)
                sequence = appended
                shared.index.put(id: id, bytes: bytes, ordinal: entry.ordinal, state: .pending(nil), home: segment)
            }
            shared.compactIfDue()
            return (chosen.count, sequence, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
        try await store.waitDurable(sequence)
        return moved
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
    public var statistics: Statistics { store.shared.withLock { $0.statistics } }

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

    /// A lease record: a lease and its renewals are the same record, the latest expiry wins.
    private static func leaseFrame(_ ids: [String], until expiry: Date) -> [UInt8] {
        var frame: [UInt8] = []
        JournalFrame.append(to: &frame) { body in
            body.append(JournalRecordKind.lease.rawValue)
            body.appendDate(expiry)
            body.appendUInt32(UInt32(ids.count))
            for id in ids { body.appendString(id) }
        }
        return frame
    }

    /// Writes a full record for a leased item (reschedule, dead letter) and sets its state.
    private func put(
        _ item: DeliveryItem, kind: JournalRecordKind, state: JournalIndex.PutState,
        writeState: (inout [UInt8]) -> Void
    ) async throws {
        let bytes = JournalItemCodec.encode(item)
        guard bytes.count <= configuration.maximumItemSize else {
            throw FileOutboxError.itemTooLarge(
                id: item.id, size: bytes.count, limit: configuration.maximumItemSize, directory: path)
        }
        let (sequence, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> (UInt64, Bool) in
            try shared.checkUsable()
            guard shared.index.isLeased(item.id, under: item.lease), let entry = shared.index.entry(item.id) else {
                return (0, false)
            }
            var frame: [UInt8] = []
            frame.reserveCapacity(bytes.count + 64)
            JournalFrame.append(to: &frame) { body in
                body.append(kind.rawValue)
                body.appendUInt64(entry.ordinal)
                writeState(&body)
                body.append(contentsOf: bytes)
            }
            let (segment, sequence) = shared.append(frame)
            shared.index.put(id: item.id, bytes: bytes, ordinal: entry.ordinal, state: state, home: segment)
            shared.compactIfDue()
            return (sequence, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
        try await store.waitDurable(sequence)
    }

    private func deadLetterUnreadable(_ id: String, bytes: [UInt8], reason: String) async throws {
        let failure = DeliveryFailure(
            status: nil, errorCode: .outboxUnreadable,
            message: "the outbox could not read the stored item back (\(reason)); it was not sent. Inspect it with deadLetters(limit:) and send it again",
            retryability: .final)
        let (sequence, wake) = try store.shared.withLock { shared throws(FileOutboxError) -> (UInt64, Bool) in
            try shared.checkUsable()
            guard let entry = shared.index.entry(id) else { return (0, false) }
            var frame: [UInt8] = []
            JournalFrame.append(to: &frame) { body in
                body.append(JournalRecordKind.deadLetter.rawValue)
                body.appendUInt64(entry.ordinal)
                JournalItemCodec.append(failure, to: &body)
                body.append(contentsOf: bytes)
            }
            let (segment, sequence) = shared.append(frame)
            shared.index.put(id: id, bytes: bytes, ordinal: entry.ordinal, state: .dead(failure), home: segment)
            return (sequence, shared.takeWakeup())
        }
        if wake { store.wakeWriter() }
        try await store.waitDurable(sequence)
    }
}
