import Foundation

/// The in-memory state of a ``FileOutbox``: every live item in a ``LeaseQueue`` (its state and the queues that
/// make leasing fast, shared with ``InMemoryOutbox``), plus what only a journal needs: which segment holds each
/// item's record, how many live bytes each segment file still holds (for compaction), the failures of dead
/// letters, and the acknowledged ids it remembers.
///
/// Items are kept in their binary journal form and parsed only when leased, so recovery never parses payloads.
/// A pure value type: the journal store mutates it under its lock and replays records into it at recovery.
struct JournalIndex {
    typealias State = LeaseQueue<Entry>.State

    /// The state an item is written with in a full record.
    enum PutState {
        case pending(Date?)
        case dead(DeliveryFailure)
    }

    /// What the index keeps about an item beside its state (which the ``LeaseQueue`` keeps).
    struct Entry {
        /// The item's binary form (``JournalItemCodec``).
        var bytes: [UInt8]
        /// The segment holding the item's latest full record: the oldest segment recovery needs for it.
        var home: UInt64
        /// Acceptance order, for oldest-first leasing.
        var ordinal: UInt64
        /// Recovery only: the last record about the item was a lease (it was in flight at the crash).
        var leasedAtCrash = false
    }

    /// Bytes and live items per segment file.
    struct SegmentUsage {
        var totalBytes = 0
        var liveCount = 0
        var liveBytes = 0

        mutating func add(_ bytes: Int) {
            liveCount += 1
            liveBytes += bytes
        }
    }

    private var queue = LeaseQueue<Entry>()
    private var failures: [String: DeliveryFailure] = [:]
    private(set) var usage: [UInt64: SegmentUsage] = [:]
    private(set) var nextOrdinal: UInt64 = 1
    /// Live bytes of some segment fell low since the last compaction check.
    private(set) var compactionHint = false
    /// Recovery bookkeeping: whether items became ready out of acceptance order, and how many items were last
    /// seen leased.
    private var readySorted = true
    private var lastReadyOrdinal: UInt64 = 0
    private var leasedAtCrashCount = 0
    /// Acknowledged ids kept so enqueueing them again is ignored (id to the segment of its record), oldest first.
    private var remembered: [String: UInt64] = [:]
    private var rememberedOrder: [String] = []
    private var rememberedHead = 0

    // MARK: - Queries

    func contains(_ id: String) -> Bool { queue.contains(id) }

    func entry(_ id: String) -> Entry? { queue.entry(id)?.element }

    /// Whether `id` is leased, and when `lease` is given, under that lease (not taken over since).
    func isLeased(_ id: String, under lease: LeaseToken? = nil) -> Bool { queue.isLeased(id, under: lease?.rawValue) }

    var counts: OutboxCounts { queue.counts }

    /// The earliest time something becomes available: `distantPast` when something is ready now.
    mutating func nextAvailableDate() -> Date? { queue.nextAvailableDate() }

    /// Dead letters oldest first: the item bytes and failure.
    mutating func deadLetters(limit: Int) -> [(bytes: [UInt8], failure: DeliveryFailure)] {
        queue.deadLetters(limit: limit).compactMap { id, entry in failures[id].map { (entry.bytes, $0) } }
    }

    /// Dead letters to replay (all when `ids` is nil), oldest first.
    mutating func deadLetterIDs(_ ids: Set<String>?) -> [String] { queue.deadIDs(ids) }

    /// Live items whose home is at or before `segment`, oldest first (for compaction).
    func liveItems(homedThrough segment: UInt64) -> [(id: String, entry: Entry, state: State)] {
        queue.entries.lazy.filter { $0.value.element.home <= segment }
            .map { (id: $0.key, entry: $0.value.element, state: $0.value.state) }
            .sorted { $0.entry.ordinal < $1.entry.ordinal }
    }

    func failure(of id: String) -> DeliveryFailure? { failures[id] }

    // MARK: - Remembered acknowledgements

    /// Whether `id` is among the remembered acknowledged ids.
    func isRemembered(_ id: String) -> Bool { remembered[id] != nil }

    var rememberedCount: Int { remembered.count }

    /// Remembers that `id` was acknowledged (its record is in `segment`), forgetting the oldest beyond `limit`.
    mutating func remember(_ id: String, in segment: UInt64, limit: Int) {
        guard limit > 0 else { return }
        if let old = remembered.updateValue(segment, forKey: id) {
            removeLive(old, Self.rememberedSize(id))
        } else {
            rememberedOrder.append(id)
        }
        addLive(segment, Self.rememberedSize(id))
        while remembered.count > limit, rememberedHead < rememberedOrder.count {
            let oldest = rememberedOrder[rememberedHead]
            rememberedHead += 1
            if let home = remembered.removeValue(forKey: oldest) { removeLive(home, Self.rememberedSize(oldest)) }
        }
        if rememberedHead > 4096 && rememberedHead * 2 > rememberedOrder.count {
            rememberedOrder.removeFirst(rememberedHead)
            rememberedHead = 0
        }
    }

    /// Remembered ids whose record is at or before `segment` (for compaction).
    func remembered(through segment: UInt64) -> [String] {
        rememberedOrder[rememberedHead...].filter { id in remembered[id].map { $0 <= segment } ?? false }
    }

    /// Moves a remembered id's home after compaction copied it into `segment`.
    mutating func rehomeRemembered(_ id: String, to segment: UInt64) {
        guard let old = remembered[id] else { return }
        removeLive(old, Self.rememberedSize(id))
        addLive(segment, Self.rememberedSize(id))
        remembered[id] = segment
    }

    /// What a remembered id costs in a segment, for the compaction ratio.
    private static func rememberedSize(_ id: String) -> Int { id.utf8.count + 4 }

    // MARK: - Ordinals and bytes

    mutating func takeOrdinal() -> UInt64 {
        defer { nextOrdinal += 1 }
        return nextOrdinal
    }

    /// Accounts for bytes appended to a segment.
    mutating func recordBytes(_ count: Int, in segment: UInt64) {
        usage[segment, default: SegmentUsage()].totalBytes += count
    }

    mutating func forgetSegments(through segment: UInt64) {
        for key in usage.keys where key <= segment { usage[key] = nil }
    }

    mutating func clearCompactionHint() { compactionHint = false }

    // MARK: - Changes

    /// Adds a pending item unless its id is present.
    /// - Returns: Whether it was added.
    @discardableResult
    mutating func insertIfAbsent(id: String, bytes: [UInt8], ordinal: UInt64, home: UInt64) -> Bool {
        let key = JournalItemCodec.orderingKey(in: bytes)
        guard queue.insertIfAbsent(id, Entry(bytes: bytes, home: home, ordinal: ordinal), orderingKey: key) else {
            return false
        }
        noteReady(ordinal)
        addLive(home, bytes.count)
        if ordinal >= nextOrdinal { nextOrdinal = ordinal + 1 }
        return true
    }

    /// Sets an item's full state from a full record (adding it if absent).
    mutating func put(id: String, bytes: [UInt8], ordinal: UInt64, state: PutState, home: UInt64) {
        let entry = Entry(bytes: bytes, home: home, ordinal: ordinal)
        let old: LeaseQueue<Entry>.Entry?
        switch state {
        case .pending(let date):
            old = queue.put(id, entry, pendingUntil: date, orderingKey: JournalItemCodec.orderingKey(in: bytes))
            if date == nil { noteReady(ordinal) }
            failures[id] = nil
        case .dead(let failure):
            old = queue.putDead(id, entry)
            failures[id] = failure
        }
        if let old { forget(old.element) }
        addLive(home, bytes.count)
        if ordinal >= nextOrdinal { nextOrdinal = ordinal + 1 }
    }

    /// Removes an item in any state.
    /// - Returns: Whether it was present.
    @discardableResult
    mutating func remove(_ id: String) -> Bool {
        guard let old = queue.remove(id) else { return false }
        forget(old.element)
        failures[id] = nil
        return true
    }

    /// Moves an item's home after compaction copied its full record into `segment`.
    mutating func rehome(_ id: String, to segment: UInt64) {
        guard let entry = queue.entry(id)?.element else { return }
        removeLive(entry.home, entry.bytes.count)
        addLive(segment, entry.bytes.count)
        queue.modify(id) { $0.home = segment }
    }

    /// Leases up to `limit` items available at `now`, oldest first, after returning expired leases and due retries.
    /// - Returns: The leased ids and bytes, with each lease's token.
    mutating func lease(limit: Int, at now: Date, until expiry: Date) -> [(id: String, bytes: [UInt8], lease: LeaseToken)] {
        queue.lease(limit: limit, at: now, until: expiry).map { ($0.id, $0.element.bytes, LeaseToken(rawValue: $0.lease)) }
    }

    /// Extends the leases of `ids` still leased to `expiry`.
    /// - Returns: The ids whose lease was extended.
    mutating func renew(_ ids: [String], until expiry: Date) -> [String] { queue.renew(ids, until: expiry) }

    /// Extends the leases of `items` still leased under the lease each carries to `expiry`.
    /// - Returns: The ids whose lease was extended.
    mutating func renew(leased items: [DeliveryItem], until expiry: Date) -> [String] {
        queue.renew(items.lazy.map { ($0.id, $0.lease?.rawValue) }, until: expiry)
    }

    // MARK: - Recovery

    /// A lease record was replayed: the item was in flight (until a later record says otherwise).
    mutating func markLeasedAtCrash(_ id: String) {
        guard let entry = queue.entry(id)?.element, !entry.leasedAtCrash else { return }
        queue.modify(id) { $0.leasedAtCrash = true }
        leasedAtCrashCount += 1
    }

    /// Ends recovery: puts the ready queue in acceptance order and counts the items that were in flight.
    /// - Returns: How many items were leased when the journal was last written.
    mutating func finishRecovery() -> Int {
        let inFlight = leasedAtCrashCount
        if inFlight > 0 {
            for (id, entry) in queue.entries where entry.element.leasedAtCrash { queue.modify(id) { $0.leasedAtCrash = false } }
            leasedAtCrashCount = 0
        }
        // Same-key items leave in acceptance order after a restart too, whatever order their records were in.
        queue.sortLanes { $0.ordinal }
        // The common case (records in acceptance order, nothing that was ready changed afterwards) needs no pass.
        guard queue.readyHasStalePairs || !readySorted else { return inFlight }
        queue.rebuildReady { $0.ordinal }
        readySorted = true
        return inFlight
    }

    /// Recovery: room for about `count` items, so the tables do not grow step by step.
    mutating func reserveCapacity(_ count: Int) { queue.reserveCapacity(count) }

    // MARK: - Private

    /// Takes a replaced or removed item's bytes out of its segment's live bytes.
    private mutating func forget(_ old: Entry) {
        if old.leasedAtCrash { leasedAtCrashCount -= 1 }
        removeLive(old.home, old.bytes.count)
    }

    private mutating func noteReady(_ ordinal: UInt64) {
        if ordinal < lastReadyOrdinal { readySorted = false }
        lastReadyOrdinal = ordinal
    }

    private mutating func addLive(_ segment: UInt64, _ bytes: Int) {
        usage[segment, default: SegmentUsage()].add(bytes)
    }

    private mutating func removeLive(_ segment: UInt64, _ bytes: Int) {
        guard var segmentUsage = usage[segment] else { return }
        segmentUsage.liveCount -= 1
        segmentUsage.liveBytes -= bytes
        usage[segment] = segmentUsage
        if segmentUsage.liveCount == 0 || segmentUsage.liveBytes * 4 < segmentUsage.totalBytes { compactionHint = true }
    }
}
