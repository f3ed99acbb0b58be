import Foundation

/// The states of an outbox's items and the queues that make leasing cheap: one implementation shared by
/// ``InMemoryOutbox`` and the ``FileOutbox``'s index, so the two cannot drift apart.
///
/// Every item is pending (ready now, or delayed until a date), leased until a date, or dead. Leasing takes ready
/// items oldest first, after moving due retries and expired leases to the ready queue (``promoteDue(at:)``).
/// Queues and heaps hold `(id, generation)` pairs and are never searched: each state change bumps the item's
/// generation, so an entry that no longer matches is skipped when it surfaces. That keeps every operation a hash
/// lookup plus amortised constant work.
///
/// A plain value type with no clock and no locking: its owner holds it under its own isolation (an actor, a
/// mutex) and passes the time in, so it is tested alone.
struct LeaseQueue<Element> {
    /// Where an item is.
    enum State: Equatable {
        /// Waiting; `nil` means available now, a date means not before then.
        case pending(Date?)
        /// Leased until the date.
        case leased(until: Date)
        /// Failed for good.
        case dead
    }

    /// An item with its state.
    struct Entry {
        var element: Element
        var state: State
        /// Changes with every state change, so stale queue and heap entries are recognised.
        var generation: UInt64
    }

    private(set) var entries: [String: Entry] = [:]
    /// Ids available now in the order they became available; may hold stale pairs (checked on lease).
    private var ready: [(id: String, generation: UInt64)] = []
    private var readyHead = 0
    /// Pending ids waiting for a retry time.
    private var delayed = TimedHeap()
    /// Lease expiries.
    private var leases = TimedHeap()
    /// Dead ids, oldest first; may hold stale pairs.
    private var deadOrder: [(id: String, generation: UInt64)] = []
    private var generation: UInt64 = 0
    private(set) var pendingCount = 0
    private(set) var leasedCount = 0
    private(set) var deadCount = 0
    /// Whether an item that was ready now left that state other than by being leased: the ready queue then holds
    /// stale pairs a recovery may want to drop (``rebuildReady(by:)``).
    private(set) var readyHasStalePairs = false

    init() {}

    // MARK: - Queries

    var counts: OutboxCounts { OutboxCounts(pending: pendingCount, leased: leasedCount, dead: deadCount) }

    var count: Int { entries.count }

    /// Expiry entries held, live or stale: bounded by compaction (tests watch it).
    var leaseHeapCount: Int { leases.count }

    func contains(_ id: String) -> Bool { entries[id] != nil }

    func entry(_ id: String) -> Entry? { entries[id] }

    func isLeased(_ id: String) -> Bool {
        if let entry = entries[id], case .leased = entry.state { return true }
        return false
    }

    /// The earliest time something becomes available: `distantPast` when something is ready now, `nil` when
    /// nothing is pending or leased.
    mutating func nextAvailableDate() -> Date? {
        // Skip pairs at the head of the ready queue that have changed state since they were queued.
        while readyHead < ready.count {
            if isCurrent(ready[readyHead], pendingOnly: true) { return .distantPast }
            readyHead += 1
        }
        // Drop expiry and retry entries that no longer match their item (a renewed lease leaves one behind), so an
        // idle deliverer does not wake for a lease that was extended.
        while let first = delayed.first, !isCurrent(first, leased: false) { _ = delayed.removeFirst() }
        while let first = leases.first, !isCurrent(first, leased: true) { _ = leases.removeFirst() }
        var candidates: [Date] = []
        if pendingCount > 0, let first = delayed.first { candidates.append(first.date) }
        if leasedCount > 0, let first = leases.first { candidates.append(first.date) }
        return candidates.min()
    }

    /// Dead items, oldest first.
    mutating func deadLetters(limit: Int) -> [(id: String, element: Element)] {
        compactDeadOrder()
        var result: [(id: String, element: Element)] = []
        for (id, _) in deadOrder where result.count < limit {
            if let entry = entries[id] { result.append((id, entry.element)) }
        }
        return result
    }

    /// The ids of dead items (all when `ids` is nil, else those among `ids`), oldest first.
    mutating func deadIDs(_ ids: Set<String>?) -> [String] {
        compactDeadOrder()
        return deadOrder.lazy.map(\.id).filter { ids?.contains($0) ?? true }
    }

    // MARK: - Changes

    /// Adds a pending item, available now, unless its id is present.
    /// - Returns: Whether it was added.
    @discardableResult
    mutating func insertIfAbsent(_ id: String, _ element: Element) -> Bool {
        generation += 1
        let entry = Entry(element: element, state: .pending(nil), generation: generation)
        // One hash probe in the common case (the id is new); put the old entry back in the rare other case.
        if let old = entries.updateValue(entry, forKey: id) {
            entries[id] = old
            return false
        }
        ready.append((id, generation))
        pendingCount += 1
        return true
    }

    /// Sets an item's element and state, adding it if absent (a reschedule, a dead letter, a replay, a record
    /// replayed at recovery). Leased is not a state one puts: leases come from ``lease(limit:at:until:)``.
    /// - Returns: The entry it replaced, if any.
    @discardableResult
    mutating func put(_ id: String, _ element: Element, pendingUntil date: Date?) -> Entry? {
        let old = entries[id]
        if let old { forget(old) }
        generation += 1
        entries[id] = Entry(element: element, state: .pending(date), generation: generation)
        if let date {
            delayed.insert(.init(date: date, id: id, generation: generation))
        } else {
            ready.append((id, generation))
        }
        pendingCount += 1
        return old
    }

    /// Sets an item dead with its element, adding it if absent.
    /// - Returns: The entry it replaced, if any.
    @discardableResult
    mutating func putDead(_ id: String, _ element: Element) -> Entry? {
        let old = entries[id]
        if let old { forget(old) }
        generation += 1
        entries[id] = Entry(element: element, state: .dead, generation: generation)
        deadOrder.append((id, generation))
        deadCount += 1
        return old
    }

    /// Changes an item's element without changing its state (bookkeeping its owner keeps beside it).
    mutating func modify(_ id: String, _ change: (inout Element) -> Void) {
        guard let index = entries.index(forKey: id) else { return }
        change(&entries.values[index].element)
    }

    /// Removes an item in any state.
    /// - Returns: The removed entry.
    @discardableResult
    mutating func remove(_ id: String) -> Entry? {
        guard let old = entries.removeValue(forKey: id) else { return nil }
        forget(old)
        return old
    }

    /// Removes every item `shouldRemove` picks, returning their ids and elements (in no particular order).
    mutating func removeAll(where shouldRemove: (String, Entry) -> Bool) -> [(id: String, element: Element)] {
        let removed = entries.filter { shouldRemove($0.key, $0.value) }
        for (id, _) in removed { remove(id) }
        return removed.map { ($0.key, $0.value.element) }
    }

    /// Leases up to `limit` items available at `now`, oldest first, after returning expired leases and due retries.
    /// - Returns: The leased ids and elements.
    mutating func lease(limit: Int, at now: Date, until expiry: Date) -> [(id: String, element: Element)] {
        promoteDue(at: now)
        var leased: [(id: String, element: Element)] = []
        leased.reserveCapacity(min(limit, pendingCount))
        while leased.count < limit, readyHead < ready.count {
            let (id, expected) = ready[readyHead]
            readyHead += 1
            // One hash lookup per item: change the entry in place through its index.
            guard let index = entries.index(forKey: id), entries.values[index].generation == expected,
                case .pending = entries.values[index].state
            else { continue }
            generation += 1
            entries.values[index].state = .leased(until: expiry)
            entries.values[index].generation = generation
            leases.insert(.init(date: expiry, id: id, generation: generation))
            pendingCount -= 1
            leasedCount += 1
            leased.append((id, entries.values[index].element))
        }
        compactReady()
        compactLeases()
        return leased
    }

    /// Extends the leases of `ids` that are still leased to `expiry`: a holder still working on them keeps them.
    /// Ids no longer leased (acknowledged, returned, or taken over after their lease ran out) are left alone.
    /// - Returns: The ids whose lease was extended.
    mutating func renew(_ ids: [String], until expiry: Date) -> [String] {
        var renewed: [String] = []
        renewed.reserveCapacity(ids.count)
        for id in ids {
            guard let index = entries.index(forKey: id), case .leased = entries.values[index].state else { continue }
            generation += 1
            entries.values[index].state = .leased(until: expiry)
            entries.values[index].generation = generation
            leases.insert(.init(date: expiry, id: id, generation: generation))
            renewed.append(id)
        }
        compactLeases()
        return renewed
    }

    /// Moves due retries and expired leases to the ready queue.
    mutating func promoteDue(at now: Date) {
        while let first = delayed.first, first.date <= now {
            _ = delayed.removeFirst()
            guard let index = entries.index(forKey: first.id), entries.values[index].generation == first.generation,
                case .pending = entries.values[index].state
            else { continue }
            ready.append((first.id, first.generation))
        }
        while let first = leases.first, first.date <= now {
            _ = leases.removeFirst()
            guard let index = entries.index(forKey: first.id), entries.values[index].generation == first.generation,
                case .leased = entries.values[index].state
            else { continue }
            generation += 1
            entries.values[index].state = .pending(nil)
            entries.values[index].generation = generation
            leasedCount -= 1
            pendingCount += 1
            ready.append((first.id, generation))
        }
    }

    /// Drops stale pairs from the ready queue and orders it by `order` (a recovery replays records out of
    /// acceptance order; leasing must still go oldest first).
    mutating func rebuildReady(by order: (Element) -> UInt64) {
        var live: [(id: String, generation: UInt64, order: UInt64)] = []
        live.reserveCapacity(pendingCount)
        var sorted = true
        var last: UInt64 = 0
        for pair in ready[readyHead...] {
            guard isCurrent(pair, pendingOnly: true), let entry = entries[pair.id] else { continue }
            let position = order(entry.element)
            if position < last { sorted = false }
            last = position
            live.append((pair.id, pair.generation, position))
        }
        if !sorted { live.sort { $0.order < $1.order } }
        ready = live.map { ($0.id, $0.generation) }
        readyHead = 0
        readyHasStalePairs = false
    }

    /// Room for about `count` items, so the tables do not grow step by step (a recovery).
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        // Geometric growth, so many small reservations (one per enqueue) stay amortised constant work.
        let wanted = count - (ready.count - readyHead) + ready.count
        if wanted > ready.capacity { ready.reserveCapacity(max(wanted, ready.capacity * 2)) }
    }

    // MARK: - Private

    private func isCurrent(_ pair: (id: String, generation: UInt64), pendingOnly: Bool) -> Bool {
        guard let entry = entries[pair.id], entry.generation == pair.generation else { return false }
        if pendingOnly, case .pending = entry.state { return true }
        return !pendingOnly
    }

    /// Whether a heap entry still describes its item: same generation, and leased (or pending) as the heap says.
    private func isCurrent(_ timed: TimedHeap.Entry, leased: Bool) -> Bool {
        guard let entry = entries[timed.id], entry.generation == timed.generation else { return false }
        switch entry.state {
        case .leased: return leased
        case .pending: return !leased
        case .dead: return false
        }
    }

    /// Takes an entry that is being replaced or removed out of the counts.
    private mutating func forget(_ old: Entry) {
        switch old.state {
        case .pending(let date):
            pendingCount -= 1
            if date == nil { readyHasStalePairs = true }
        case .leased: leasedCount -= 1
        case .dead: deadCount -= 1
        }
    }

    /// Drops the consumed head of the ready queue once it is most of the array.
    private mutating func compactReady() {
        if readyHead > 4096 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
    }

    /// Drops expiry entries of leases that ended (acknowledged, rescheduled, renewed, dead-lettered) once they
    /// outnumber the live leases, so the heap stays as large as what is leased, not as what was ever leased. Each
    /// rebuild costs as much as the insertions since the last, so it is constant work per lease on average.
    private mutating func compactLeases() {
        guard leases.count > 1024, leases.count > 2 * leasedCount else { return }
        leases.removeAll { entry in
            guard let current = entries[entry.id], case .leased = current.state else { return true }
            return current.generation != entry.generation
        }
    }

    private mutating func compactDeadOrder() {
        guard deadOrder.count > deadCount else { return }
        deadOrder = deadOrder.filter { isCurrent($0, pendingOnly: false) && entries[$0.id]?.state == .dead }
    }
}

extension LeaseQueue: Sendable where Element: Sendable {}
extension LeaseQueue.Entry: Sendable where Element: Sendable {}
extension LeaseQueue.State: Sendable {}
