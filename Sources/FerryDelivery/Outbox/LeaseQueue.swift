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
/// Items may carry an ordering key (``DeliveryItem/orderingKey``): items with the same key form a lane in the
/// order they were accepted, and only the lane's first item (its head) can be leased. So two items with the same
/// key are never leased together, and a retried head holds back the later ones until it is delivered (removed)
/// or dead-lettered: same-key items leave in the order they came. Items without a key, and different keys, are
/// not held back by one another. A blocked item is dropped from the ready queue when it surfaces and queued again
/// when it becomes its lane's head.
///
/// Each lease gets a token (``Entry/lease``) that renewals keep: a holder that names its token when it renews or
/// settles an item is told apart from one whose lease ran out and went to another holder, whose calls then change
/// nothing (`isLeased(_:under:)`, `renew(_:until:)` with tokens).
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
        /// The ordering key: items with the same key leave in the order they came, one at a time.
        var orderingKey: String?
        /// The item's place in its key's lane; 0 when it is in none (no key, or dead).
        var ticket: UInt64 = 0
        /// The token of the item's current or last lease (unique within the queue, kept by renewals); 0 when it
        /// was never leased.
        var lease: UInt64 = 0
    }

    /// The items of one ordering key, in acceptance order. Members whose ticket no longer matches their entry
    /// (delivered, dead-lettered) are stale and skipped.
    private struct Lane {
        var members: [(id: String, ticket: UInt64)] = []
        var head = 0
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
    /// Lanes by ordering key; a lane is dropped once it has no live member.
    private var lanes: [String: Lane] = [:]
    private var ticket: UInt64 = 0
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

    /// Whether `id` is leased, and when `lease` is given, under that lease: a holder whose lease ran out and was
    /// taken over holds an older token.
    func isLeased(_ id: String, under lease: UInt64? = nil) -> Bool {
        if let entry = entries[id], case .leased = entry.state { return lease == nil || entry.lease == lease }
        return false
    }

    /// The earliest time something becomes available: `distantPast` when something is ready now, `nil` when
    /// nothing is pending or leased.
    mutating func nextAvailableDate() -> Date? {
        // Skip pairs at the head of the ready queue that have changed state since they were queued.
        // Pairs of items held back by an earlier same-key item are dropped too: they are queued again when they
        // reach the head of their lane.
        while readyHead < ready.count {
            let pair = ready[readyHead]
            if isCurrent(pair, pendingOnly: true), let entry = entries[pair.id], isLaneHead(pair.id, entry) {
                return .distantPast
            }
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
    /// - Parameter orderingKey: The item's ordering key: it joins the end of that key's lane.
    /// - Returns: Whether it was added.
    @discardableResult
    mutating func insertIfAbsent(_ id: String, _ element: Element, orderingKey: String? = nil) -> Bool {
        generation += 1
        var entry = Entry(element: element, state: .pending(nil), generation: generation, orderingKey: orderingKey)
        if orderingKey != nil {
            ticket += 1
            entry.ticket = ticket
        }
        // One hash probe in the common case (the id is new); put the old entry back in the rare other case.
        if let old = entries.updateValue(entry, forKey: id) {
            entries[id] = old
            return false
        }
        if let orderingKey { joinLane(orderingKey, id: id, ticket: entry.ticket) }
        ready.append((id, generation))
        pendingCount += 1
        return true
    }

    /// Sets an item's element and state, adding it if absent (a reschedule, a dead letter, a replay, a record
    /// replayed at recovery). Leased is not a state one puts: leases come from ``lease(limit:at:until:)``.
    ///
    /// An item keeps its place in its lane (a retry still holds back the later same-key items); an item that was
    /// dead or absent joins the end of its lane (a replayed dead letter comes after what was accepted meanwhile).
    /// - Parameter orderingKey: The item's ordering key.
    /// - Returns: The entry it replaced, if any.
    @discardableResult
    mutating func put(_ id: String, _ element: Element, pendingUntil date: Date?, orderingKey: String? = nil) -> Entry? {
        let old = entries[id]
        if let old { forget(old) }
        generation += 1
        var entry = Entry(element: element, state: .pending(date), generation: generation, orderingKey: orderingKey)
        if let orderingKey {
            if let old, old.ticket != 0, old.orderingKey == orderingKey {
                entry.ticket = old.ticket
            } else {
                ticket += 1
                entry.ticket = ticket
                joinLane(orderingKey, id: id, ticket: ticket)
            }
        }
        entries[id] = entry
        if let old, old.ticket != 0, old.orderingKey != orderingKey, let key = old.orderingKey { advanceLane(key) }
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
        // Dead items leave their lane: a dead letter no longer holds back the later same-key items.
        entries[id] = Entry(element: element, state: .dead, generation: generation, orderingKey: old?.orderingKey)
        deadOrder.append((id, generation))
        deadCount += 1
        if let old, old.ticket != 0, let key = old.orderingKey { advanceLane(key) }
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
        if old.ticket != 0, let key = old.orderingKey { advanceLane(key) }
        return old
    }

    /// Removes every item `shouldRemove` picks, returning their ids and elements (in no particular order).
    mutating func removeAll(where shouldRemove: (String, Entry) -> Bool) -> [(id: String, element: Element)] {
        let removed = entries.filter { shouldRemove($0.key, $0.value) }
        for (id, _) in removed { remove(id) }
        return removed.map { ($0.key, $0.value.element) }
    }

    /// Leases up to `limit` items available at `now`, oldest first, after returning expired leases and due retries.
    /// - Returns: The leased ids and elements, with each lease's token.
    mutating func lease(limit: Int, at now: Date, until expiry: Date) -> [(id: String, element: Element, lease: UInt64)] {
        promoteDue(at: now)
        var leased: [(id: String, element: Element, lease: UInt64)] = []
        leased.reserveCapacity(min(limit, pendingCount))
        while leased.count < limit, readyHead < ready.count {
            let (id, expected) = ready[readyHead]
            readyHead += 1
            // One hash lookup per item: change the entry in place through its index.
            guard let index = entries.index(forKey: id), entries.values[index].generation == expected,
                case .pending = entries.values[index].state
            else { continue }
            // Held back by an earlier item with the same key: queued again when it reaches its lane's head.
            guard isLaneHead(id, entries.values[index]) else { continue }
            generation += 1
            entries.values[index].state = .leased(until: expiry)
            entries.values[index].generation = generation
            entries.values[index].lease = generation
            leases.insert(.init(date: expiry, id: id, generation: generation))
            pendingCount -= 1
            leasedCount += 1
            leased.append((id, entries.values[index].element, generation))
        }
        compactReady()
        compactLeases()
        return leased
    }

    /// Extends the leases of `ids` that are still leased to `expiry`: a holder still working on them keeps them.
    /// Ids no longer leased (acknowledged, returned, or taken over after their lease ran out) are left alone.
    /// - Returns: The ids whose lease was extended.
    mutating func renew(_ ids: [String], until expiry: Date) -> [String] {
        renew(ids.lazy.map { (id: $0, lease: UInt64?.none) }, until: expiry)
    }

    /// Extends the leases of `held` items that are still leased under the given token (any lease when `nil`) to
    /// `expiry`. A holder whose lease ran out and went to another holder names an older token: left alone.
    /// - Returns: The ids whose lease was extended.
    mutating func renew(_ held: some Sequence<(id: String, lease: UInt64?)>, until expiry: Date) -> [String] {
        var renewed: [String] = []
        renewed.reserveCapacity(held.underestimatedCount)
        for (id, lease) in held {
            guard let index = entries.index(forKey: id), case .leased = entries.values[index].state,
                lease == nil || entries.values[index].lease == lease
            else { continue }
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

    /// Orders every lane by `order` (a recovery replays records out of acceptance order; same-key items must
    /// still leave oldest first). Lanes already in order are left as they are.
    mutating func sortLanes(by order: (Element) -> UInt64) {
        for key in Array(lanes.keys) {
            guard var lane = lanes[key] else { continue }
            var members: [(member: (id: String, ticket: UInt64), order: UInt64)] = []
            var sorted = true
            for member in lane.members[lane.head...] {
                guard isLaneMember(member), let entry = entries[member.id] else { continue }
                let position = order(entry.element)
                if let last = members.last, position < last.order { sorted = false }
                members.append((member, position))
            }
            if !sorted { members.sort { $0.order < $1.order } }
            lane.members = members.map(\.member)
            lane.head = 0
            lanes[key] = members.isEmpty ? nil : lane
        }
    }

    /// Room for about `count` items, so the tables do not grow step by step (a recovery).
    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        // Geometric growth, so many small reservations (one per enqueue) stay amortised constant work.
        let wanted = count - (ready.count - readyHead) + ready.count
        if wanted > ready.capacity { ready.reserveCapacity(max(wanted, ready.capacity * 2)) }
    }

    // MARK: - Private

    /// Whether `id` may be leased as far as ordering goes: it has no key, or it is the first live item of its lane.
    private mutating func isLaneHead(_ id: String, _ entry: Entry) -> Bool {
        guard entry.ticket != 0, let key = entry.orderingKey else { return true }
        return liveHead(of: key)?.id == id
    }

    private func isLaneMember(_ member: (id: String, ticket: UInt64)) -> Bool {
        guard let entry = entries[member.id] else { return false }
        return entry.ticket == member.ticket
    }

    /// The first live member of a lane, after dropping the stale ones before it (and the lane, when none is left).
    private mutating func liveHead(of key: String) -> (id: String, ticket: UInt64)? {
        guard var lane = lanes[key] else { return nil }
        while lane.head < lane.members.count, !isLaneMember(lane.members[lane.head]) { lane.head += 1 }
        guard lane.head < lane.members.count else {
            lanes[key] = nil
            return nil
        }
        if lane.head > 32, lane.head * 2 > lane.members.count {
            lane.members.removeFirst(lane.head)
            lane.head = 0
        }
        let head = lane.members[lane.head]
        lanes[key] = lane
        return head
    }

    private mutating func joinLane(_ key: String, id: String, ticket: UInt64) {
        lanes[key, default: Lane()].members.append((id, ticket))
    }

    /// After an item left the lane of `key`: queues the new head if it is waiting, so it can be leased.
    private mutating func advanceLane(_ key: String) {
        guard let head = liveHead(of: key), let entry = entries[head.id], case .pending(let date) = entry.state else {
            return
        }
        if let date {
            // Its retry entry may already have surfaced (and been dropped while it was held back): queue it again.
            delayed.insert(.init(date: date, id: head.id, generation: entry.generation))
        } else {
            ready.append((head.id, entry.generation))
        }
    }

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
