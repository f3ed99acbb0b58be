import FerryCore
import Foundation

/// An outbox in memory: fast, and lost with the process. The pipeline's default when durability is not asked for.
///
/// Leases expire as in a durable outbox, so a deliverer that is cancelled mid-request gives its items back.
public actor InMemoryOutbox: Outbox {
    private enum State {
        case pending
        case leased(generation: UInt64)
        case dead(DeliveryFailure)
    }

    private struct Entry {
        var item: DeliveryItem
        var state: State
    }

    private var entries: [String: Entry] = [:]
    /// Pending ids available now, oldest first; ids here may have since changed state (checked on lease).
    private var ready: [String] = []
    private var readyHead = 0
    /// Pending ids waiting for a retry time.
    private var delayed = TimedHeap()
    /// Lease expiries.
    private var leases = TimedHeap()
    private var deadOrder: [String] = []
    private var generation: UInt64 = 0
    private var pendingCount = 0
    private var leasedCount = 0
    private var deadCount = 0

    /// Creates an empty outbox.
    public init() {}

    /// Adds items not already present.
    /// - Parameter items: The items.
    /// - Returns: The ids that were added.
    @discardableResult
    public func enqueue(_ items: [DeliveryItem]) -> Set<String> {
        var added = Set<String>(minimumCapacity: items.count)
        ready.reserveCapacity(ready.count + items.count)
        entries.reserveCapacity(entries.count + items.count)
        for item in items where entries[item.id] == nil {
            entries[item.id] = Entry(item: item, state: .pending)
            ready.append(item.id)
            pendingCount += 1
            added.insert(item.id)
        }
        return added
    }

    /// Leases up to `limit` available items, oldest first, after returning expired leases and due retries.
    /// - Parameters:
    ///   - limit: The most items.
    ///   - now: The current time.
    ///   - duration: The lease length.
    /// - Returns: The items.
    public func lease(limit: Int, at now: Date, for duration: Duration) -> [DeliveryItem] {
        promoteDue(at: now)
        var leased: [DeliveryItem] = []
        leased.reserveCapacity(min(limit, pendingCount))
        let expiry = now.addingTimeInterval(duration.seconds)
        while leased.count < limit, readyHead < ready.count {
            let id = ready[readyHead]
            readyHead += 1
            // One hash lookup per item: change the entry in place through its index.
            guard let position = entries.index(forKey: id), case .pending = entries.values[position].state else {
                continue
            }
            generation += 1
            entries.values[position].state = .leased(generation: generation)
            leases.insert(.init(date: expiry, id: id, generation: generation))
            pendingCount -= 1
            leasedCount += 1
            leased.append(entries.values[position].item)
        }
        compactReady()
        compactLeases()
        return leased
    }

    /// Removes delivered items.
    /// - Parameter ids: Their ids.
    public func acknowledge(_ ids: [String]) {
        for id in ids {
            guard let position = entries.index(forKey: id), case .leased = entries.values[position].state else {
                continue
            }
            entries.remove(at: position)
            leasedCount -= 1
        }
    }

    /// Makes a leased item pending again from `date`.
    /// - Parameters:
    ///   - item: The updated item.
    ///   - date: When it is available.
    public func reschedule(_ item: DeliveryItem, availableAt date: Date) {
        guard let entry = entries[item.id], case .leased = entry.state else { return }
        entries[item.id] = Entry(item: item, state: .pending)
        leasedCount -= 1
        pendingCount += 1
        generation += 1
        delayed.insert(.init(date: date, id: item.id, generation: generation))
    }

    /// Moves a leased item to the dead letters.
    /// - Parameters:
    ///   - item: The updated item.
    ///   - failure: Why it failed.
    public func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) {
        guard let entry = entries[item.id], case .leased = entry.state else { return }
        entries[item.id] = Entry(item: item, state: .dead(failure))
        leasedCount -= 1
        deadCount += 1
        deadOrder.append(item.id)
    }

    /// The dead letters, oldest first.
    /// - Parameter limit: The most to return.
    /// - Returns: The dead letters.
    public func deadLetters(limit: Int) -> [DeadLetter] {
        var result: [DeadLetter] = []
        for id in deadOrder where result.count < limit {
            if let entry = entries[id], case .dead(let failure) = entry.state {
                result.append(DeadLetter(item: entry.item, failure: failure))
            }
        }
        return result
    }

    /// Moves dead letters back to pending with their attempts reset.
    /// - Parameter ids: Which; `nil` for all.
    /// - Returns: How many moved.
    public func replayDeadLetters(_ ids: [String]?) -> Int {
        let wanted = ids.map(Set.init)
        var moved = 0
        var remaining: [String] = []
        for id in deadOrder {
            guard var entry = entries[id], case .dead = entry.state else { continue }
            guard wanted?.contains(id) ?? true else {
                remaining.append(id)
                continue
            }
            entry.item.attempts = 0
            entry.item.firstAttemptAt = nil
            entry.state = .pending
            entries[id] = entry
            ready.append(id)
            deadCount -= 1
            pendingCount += 1
            moved += 1
        }
        deadOrder = remaining
        return moved
    }

    /// The counts by state.
    /// - Returns: The counts.
    public func counts() -> OutboxCounts {
        OutboxCounts(pending: pendingCount, leased: leasedCount, dead: deadCount)
    }

    /// The earliest time something becomes available, or `nil` when nothing is pending or leased.
    /// - Returns: The time.
    public func nextAvailableDate() -> Date? {
        // Skip ids at the head of the ready queue that have changed state since they were queued.
        while readyHead < ready.count {
            if let entry = entries[ready[readyHead]], case .pending = entry.state { return .distantPast }
            readyHead += 1
        }
        var candidates: [Date] = []
        if pendingCount > 0, let first = delayed.first { candidates.append(first.date) }
        if leasedCount > 0, let first = leases.first { candidates.append(first.date) }
        return candidates.min()
    }

    /// Removes and returns every item that is pending or leased, oldest first: what a shut-down pipeline hands
    /// back. Dead letters stay.
    /// - Returns: The undelivered items.
    public func removeUndelivered() -> [DeliveryItem] {
        var items: [DeliveryItem] = []
        var deadIDs: [String] = []
        for (id, entry) in entries {
            if case .dead = entry.state {
                deadIDs.append(id)
            } else {
                items.append(entry.item)
            }
        }
        for item in items { entries[item.id] = nil }
        ready = []
        readyHead = 0
        delayed = TimedHeap()
        leases = TimedHeap()
        pendingCount = 0
        leasedCount = 0
        return items.sorted { ($0.acceptedAt ?? .distantPast, $0.sequence ?? 0) < ($1.acceptedAt ?? .distantPast, $1.sequence ?? 0) }
    }

    /// Moves due retries and expired leases to the ready queue.
    private func promoteDue(at now: Date) {
        while let first = delayed.first, first.date <= now {
            _ = delayed.removeFirst()
            guard let entry = entries[first.id], case .pending = entry.state else { continue }
            ready.append(first.id)
        }
        while let first = leases.first, first.date <= now {
            _ = leases.removeFirst()
            guard var entry = entries[first.id], case .leased(let generation) = entry.state,
                generation == first.generation
            else { continue }
            entry.state = .pending
            entries[first.id] = entry
            leasedCount -= 1
            pendingCount += 1
            ready.append(first.id)
        }
    }

    /// Drops expiry entries of leases that ended (acknowledged, rescheduled, dead-lettered) once they outnumber
    /// the live leases, so the heap stays as large as what is leased, not as what was ever leased. Each rebuild
    /// costs as much as the insertions since the last, so it is constant work per lease on average.
    private func compactLeases() {
        guard leases.count > 1024, leases.count > 2 * leasedCount else { return }
        leases.removeAll { entry in
            guard let current = entries[entry.id], case .leased(let generation) = current.state else { return true }
            return generation != entry.generation
        }
    }

    private func compactReady() {
        if readyHead > 4096 && readyHead * 2 > ready.count {
            ready.removeFirst(readyHead)
            readyHead = 0
        }
    }
}
