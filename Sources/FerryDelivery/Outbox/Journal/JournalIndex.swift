import Foundation

/// The in-memory state of a ``FileOutbox``: every live item with its state, the queues that make leasing fast, and
/// how many live bytes each segment file still holds (for compaction).
///
/// Items are kept in their binary journal form and parsed only when leased, so recovery never parses payloads.
/// A pure value type: the journal store mutates it under its lock and replays records into it at recovery.
struct JournalIndex {
    enum State {
        /// Waiting; `nil` means available now, a date means not before then.
        case pending(Date?)
        /// Leased until the date.
        case leased(until: Date)
        /// Failed for good; the failure is in `failures`.
        case dead
    }

    /// The state an item is written with in a full record.
    enum PutState {
        case pending(Date?)
        case dead(DeliveryFailure)
    }

    struct Entry {
        /// The item's binary form (``JournalItemCodec``).
        var bytes: [UInt8]
        var state: State
        /// Changes with every state change, so stale queue and heap entries are recognised.
        var generation: UInt64
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

    private(set) var entries: [String: Entry] = [:]
    private var failures: [String: DeliveryFailure] = [:]
    private var ready: [(id: String, generation: UInt64)] = []
    private var readyHead = 0
    private var delayed = TimedHeap()
    private var leases = TimedHeap()
    private var deadOrder: [(id: String, generation: UInt64)] = []
    private var generation: UInt64 = 0
    private(set) var pendingCount = 0
    private(set) var leasedCount = 0
    private(set) var deadCount = 0
    private(set) var usage: [UInt64: SegmentUsage] = [:]
    private(set) var nextOrdinal: UInt64 = 1
    /// Live bytes of some segment fell low since the last compaction check.
    private(set) var compactionHint = false
    /// Recovery bookkeeping: whether `ready` may hold stale entries or be out of acceptance order, and how many
    /// items were last seen leased.
    private var readyInvalidated = false
    private var readySorted = true
    private var lastReadyOrdinal: UInt64 = 0
    private var leasedAtCrashCount = 0
    /// Acknowledged ids kept so enqueueing them again is ignored (id to the segment of its record), oldest first.
    private var remembered: [String: UInt64] = [:]
    private var rememberedOrder: [String] = []
    private var rememberedHead = 0

    // MARK: - Queries

    func contains(_ id: String) -> Bool { entries[id] != nil }

    func isLeased(_ id: String) -> Bool {
        if let entry = entries[id], case .leased = entry.state { return true }
        return false
    }

    var counts: OutboxCounts { OutboxCounts(pending: pendingCount, leased: leasedCount, dead: deadCount) }

    /// The earliest time something becomes available: `distantPast` when something is ready now.
    mutating func nextAvailableDate() -> Date? {
        while readyHead < ready.count {
            let (id, generation) = ready[readyHead]
            if let entry = entries[id], entry.generation == generation, case .pending = entry.state {
                return .distantPast
            }
            readyHead += 1
        }
        var candidates: [Date] = []
        if pendingCount > 0, let first = delayed.first { candidates.append(first.date) }
        if leasedCount > 0, let first = leases.first { candidates.append(first.date) }
        return candidates.min()
    }

    /// Dead letters oldest first: the item bytes and failure.
    mutating func deadLetters(limit: Int) -> [(bytes: [UInt8], failure: DeliveryFailure)] {
        compactDeadOrder()
        var result: [(bytes: [UInt8], failure: DeliveryFailure)] = []
        for (id, generation) in deadOrder where result.count < limit {
            if let entry = entries[id], entry.generation == generation, case .dead = entry.state,
                let failure = failures[id]
            {
                result.append((entry.bytes, failure))
            }
        }
        return result
    }

    /// Dead letters to replay (all when `ids` is nil), oldest first.
    mutating func deadLetterIDs(_ ids: Set<String>?) -> [String] {
        compactDeadOrder()
        return deadOrder.lazy.map(\.id).filter { ids?.contains($0) ?? true }
    }

    /// Live items whose home is at or before `segment`, oldest first (for compaction).
    func liveItems(homedThrough segment: UInt64) -> [(id: String, entry: Entry)] {
        entries.lazy.filter { $0.value.home <= segment }.map { (id: $0.key, entry: $0.value) }
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
        generation += 1
        let entry = Entry(bytes: bytes, state: .pending(nil), generation: generation, home: home, ordinal: ordinal)
        // One hash probe in the common case (the id is new); put the old entry back in the rare other case.
        if let old = entries.updateValue(entry, forKey: id) {
            entries[id] = old
            return false
        }
        appendReady(id, generation: generation, ordinal: ordinal)
        pendingCount += 1
        addLive(home, bytes.count)
        if ordinal >= nextOrdinal { nextOrdinal = ordinal + 1 }
        return true
    }

    /// Sets an item's full state from a full record (adding it if absent).
    mutating func put(id: String, bytes: [UInt8], ordinal: UInt64, state: PutState, home: UInt64) {
        if let old = entries[id] { forget(id, old) }
        generation += 1
        switch state {
        case .pending(let date):
            entries[id] = Entry(bytes: bytes, state: .pending(date), generation: generation, home: home, ordinal: ordinal)
            if let date {
                delayed.insert(.init(date: date, id: id, generation: generation))
            } else {
                appendReady(id, generation: generation, ordinal: ordinal)
            }
            pendingCount += 1
        case .dead(let failure):
            entries[id] = Entry(bytes: bytes, state: .dead, generation: generation, home: home, ordinal: ordinal)
            failures[id] = failure
            deadOrder.append((id, generation))
            deadCount += 1
        }
        addLive(home, bytes.count)
        if ordinal >= nextOrdinal { nextOrdinal = ordinal + 1 }
    }

    /// Removes an item in any state.
    /// - Returns: Whether it was present.
    @discardableResult
    mutating func remove(_ id: String) -> Bool {
        guard let old = entries.removeValue(forKey: id) else { return false }
        forget(id, old)
        return true
    }

    /// Moves an item's home after compaction copied its full record into `segment`.
    mutating func rehome(_ id: String, to segment: UInt64) {
        guard let entry = entries[id] else { return }
        removeLive(entry.home, entry.bytes.count)
        addLive(segment, entry.bytes.count)
        entries[id]?.home = segment
    }

    /// Leases up to `limit` items available at `now`, oldest first, after returning expired leases and due retries.
    mutating func lease(limit: Int, at now: Date, until expiry: Date) -> [(id: String, bytes: [UInt8])] {
        promoteDue(at: now)
        var leased: [(id: String, bytes: [UInt8])] = []
        leased.reserveCapacity(min(limit, pendingCount))
        while leased.count < limit, readyHead < ready.count {
            let (id, expected) = ready[readyHead]
            readyHead += 1
            guard var entry = entries[id], entry.generation == expected, case .pending = entry.state else { continue }
            generation += 1
            entry.state = .leased(until: expiry)
            entry.generation = generation
            entries[id] = entry
            leases.insert(.init(date: expiry, id: id, generation: generation))
            pendingCount -= 1
            leasedCount += 1
            leased.append((id, entry.bytes))
        }
        if readyHead > 4096 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
        return leased
    }

    // MARK: - Recovery

    /// A lease record was replayed: the item was in flight (until a later record says otherwise).
    mutating func markLeasedAtCrash(_ id: String) {
        guard let index = entries.index(forKey: id), !entries.values[index].leasedAtCrash else { return }
        entries.values[index].leasedAtCrash = true
        leasedAtCrashCount += 1
    }

    /// Ends recovery: puts the ready queue in acceptance order and counts the items that were in flight.
    /// - Returns: How many items were leased when the journal was last written.
    mutating func finishRecovery() -> Int {
        let inFlight = leasedAtCrashCount
        if inFlight > 0 {
            for (id, entry) in entries where entry.leasedAtCrash { entries[id]?.leasedAtCrash = false }
            leasedAtCrashCount = 0
        }
        // The common case (records in acceptance order, nothing that was ready changed afterwards) needs no pass.
        guard readyInvalidated || !readySorted else { return inFlight }
        var live: [(id: String, generation: UInt64)] = []
        live.reserveCapacity(pendingCount)
        var sorted = true
        var last: UInt64 = 0
        for (id, generation) in ready[readyHead...] {
            guard let entry = entries[id], entry.generation == generation, case .pending = entry.state else { continue }
            if entry.ordinal < last { sorted = false }
            last = entry.ordinal
            live.append((id, generation))
        }
        if !sorted {
            live.sort { (entries[$0.id]?.ordinal ?? 0) < (entries[$1.id]?.ordinal ?? 0) }
        }
        ready = live
        readyHead = 0
        return inFlight
    }

    // MARK: - Private

    private mutating func promoteDue(at now: Date) {
        while let first = delayed.first, first.date <= now {
            _ = delayed.removeFirst()
            guard let entry = entries[first.id], entry.generation == first.generation, case .pending = entry.state
            else { continue }
            ready.append((first.id, first.generation))
        }
        while let first = leases.first, first.date <= now {
            _ = leases.removeFirst()
            guard var entry = entries[first.id], entry.generation == first.generation, case .leased = entry.state
            else { continue }
            generation += 1
            entry.state = .pending(nil)
            entry.generation = generation
            entries[first.id] = entry
            leasedCount -= 1
            pendingCount += 1
            ready.append((first.id, generation))
        }
    }

    private mutating func forget(_ id: String, _ old: Entry) {
        if old.leasedAtCrash { leasedAtCrashCount -= 1 }
        switch old.state {
        case .pending(let date):
            pendingCount -= 1
            if date == nil { readyInvalidated = true }
        case .leased: leasedCount -= 1
        case .dead:
            deadCount -= 1
            failures[id] = nil
        }
        removeLive(old.home, old.bytes.count)
    }

    private mutating func addLive(_ segment: UInt64, _ bytes: Int) {
        usage[segment, default: SegmentUsage()].add(bytes)
    }

    private mutating func appendReady(_ id: String, generation: UInt64, ordinal: UInt64) {
        if ordinal < lastReadyOrdinal { readySorted = false }
        lastReadyOrdinal = ordinal
        ready.append((id, generation))
    }

    /// Recovery: room for about `count` items, so the tables do not grow step by step.
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        ready.reserveCapacity(count)
    }

    private mutating func removeLive(_ segment: UInt64, _ bytes: Int) {
        guard var segmentUsage = usage[segment] else { return }
        segmentUsage.liveCount -= 1
        segmentUsage.liveBytes -= bytes
        usage[segment] = segmentUsage
        if segmentUsage.liveCount == 0 || segmentUsage.liveBytes * 4 < segmentUsage.totalBytes { compactionHint = true }
    }

    private mutating func compactDeadOrder() {
        guard deadOrder.count > deadCount else { return }
        deadOrder = deadOrder.filter { id, generation in
            if let entry = entries[id], entry.generation == generation, case .dead = entry.state { return true }
            return false
        }
    }
}
