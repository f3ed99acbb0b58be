import FerryCore
import Foundation

/// An outbox in memory: fast, and lost with the process. The pipeline's default when durability is not asked for.
///
/// Leases expire as in a durable outbox, so a deliverer that is cancelled mid-request gives its items back. Each
/// leased item carries its lease (``DeliveryItem/lease``): renewing, acknowledging, rescheduling or dead-lettering
/// an item whose lease ran out and went to another deliverer changes nothing.
public actor InMemoryOutbox: OutboxAdministration {
    /// Hands back what is undelivered at shutdown; not durable.
    public nonisolated var capabilities: OutboxCapabilities { .handsBackUndelivered }

    private var queue = LeaseQueue<DeliveryItem>()
    private var failures: [String: DeliveryFailure] = [:]

    /// Creates an empty outbox.
    public init() {}

    /// Adds items not already present.
    /// - Parameter items: The items.
    /// - Returns: The ids that were added.
    @discardableResult
    public func enqueue(_ items: [DeliveryItem]) -> Set<String> {
        var added = Set<String>(minimumCapacity: items.count)
        queue.reserveCapacity(queue.count + items.count)
        for item in items where queue.insertIfAbsent(item.id, item, orderingKey: item.orderingKey) {
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
        queue.lease(limit: limit, at: now, until: now.addingTimeInterval(duration.seconds)).map { leased in
            var item = leased.element
            item.lease = LeaseToken(rawValue: leased.lease)
            return item
        }
    }

    /// Extends the leases of items still leased, so a deliverer working on them keeps them.
    /// - Parameters:
    ///   - ids: The leased items' ids; others are ignored.
    ///   - now: The current time.
    ///   - duration: The new lease length, from `now`.
    /// - Returns: The ids whose lease was extended.
    @discardableResult
    public func renew(_ ids: [String], at now: Date, for duration: Duration) -> Set<String> {
        Set(queue.renew(ids, until: now.addingTimeInterval(duration.seconds)))
    }

    /// Extends the leases of items still leased under the lease they carry, so a deliverer working on them keeps
    /// them; an item whose lease ran out and went to another deliverer is not renewed.
    /// - Parameters:
    ///   - items: The leased items, as this outbox handed them out.
    ///   - now: The current time.
    ///   - duration: The new lease length, from `now`.
    /// - Returns: The ids whose lease was extended.
    @discardableResult
    public func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) -> Set<String> {
        Set(queue.renew(items.lazy.map { ($0.id, $0.lease?.rawValue) }, until: now.addingTimeInterval(duration.seconds)))
    }

    /// Removes delivered items.
    /// - Parameter ids: Their ids.
    public func acknowledge(_ ids: [String]) {
        for id in ids where queue.isLeased(id) { queue.remove(id) }
    }

    /// Removes delivered items still leased under the lease they carry; a stale holder's acknowledgement changes
    /// nothing.
    /// - Parameter items: The delivered items, as this outbox handed them out.
    public func acknowledge(leased items: [DeliveryItem]) {
        for item in items where queue.isLeased(item.id, under: item.lease?.rawValue) { queue.remove(item.id) }
    }

    /// Makes a leased item pending again from `date` (unless its lease ran out and went to another deliverer).
    /// - Parameters:
    ///   - item: The updated item.
    ///   - date: When it is available.
    public func reschedule(_ item: DeliveryItem, availableAt date: Date) {
        guard queue.isLeased(item.id, under: item.lease?.rawValue) else { return }
        var stored = item
        stored.lease = nil
        queue.put(item.id, stored, pendingUntil: date, orderingKey: item.orderingKey)
    }

    /// Moves a leased item to the dead letters (unless its lease ran out and went to another deliverer).
    /// - Parameters:
    ///   - item: The updated item.
    ///   - failure: Why it failed.
    public func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) {
        guard queue.isLeased(item.id, under: item.lease?.rawValue) else { return }
        var stored = item
        stored.lease = nil
        queue.putDead(item.id, stored)
        failures[item.id] = failure
    }

    /// The dead letters, oldest first.
    /// - Parameter limit: The most to return.
    /// - Returns: The dead letters.
    public func deadLetters(limit: Int) -> [DeadLetter] {
        queue.deadLetters(limit: max(0, limit)).compactMap { id, item in
            failures[id].map { DeadLetter(item: item, failure: $0) }
        }
    }

    /// Moves dead letters back to pending with their attempts reset.
    /// - Parameter ids: Which; `nil` for all.
    /// - Returns: How many moved.
    public func replayDeadLetters(_ ids: [String]?) -> Int {
        let chosen = queue.deadIDs(ids.map(Set.init))
        for id in chosen {
            guard var item = queue.entry(id)?.element else { continue }
            item.attempts = 0
            item.firstAttemptAt = nil
            queue.put(id, item, pendingUntil: nil, orderingKey: item.orderingKey)
            failures[id] = nil
        }
        return chosen.count
    }

    /// The counts by state.
    /// - Returns: The counts.
    public func counts() -> OutboxCounts { queue.counts }

    /// The earliest time something becomes available, or `nil` when nothing is pending or leased.
    /// - Returns: The time.
    public func nextAvailableDate() -> Date? { queue.nextAvailableDate() }

    /// Removes and returns every item that is pending or leased, oldest first: what a shut-down pipeline hands
    /// back. Dead letters stay.
    /// - Returns: The undelivered items.
    public func removeUndelivered() -> [DeliveryItem] {
        queue.removeAll { _, entry in entry.state != .dead }.map(\.element)
            .sorted { ($0.acceptedAt ?? .distantPast, $0.sequence ?? 0) < ($1.acceptedAt ?? .distantPast, $1.sequence ?? 0) }
    }
}
