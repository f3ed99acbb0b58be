import Foundation

/// Where accepted items wait until they are delivered: the pipeline's memory, and the seam where a host plugs in
/// durable storage (a file journal, a database shared by several instances).
///
/// Items move through three states: **pending** (waiting, possibly until a retry time), **leased** (taken by a
/// deliverer; the lease expires if its holder dies, and the item becomes pending again), and **dead** (failed
/// for good, kept with its reason until replayed). Acknowledged items leave the outbox.
///
/// Every method may be called from many tasks at once.
public protocol Outbox: Sendable {
    /// Stores items; returns once they are as safe as the outbox promises (durable outboxes: on disk). An item
    /// whose id is already pending, leased or dead (or, for outboxes that remember them, delivered) is not added
    /// again, so resending after a crash is harmless.
    /// - Parameter items: The items to add.
    /// - Returns: The ids that were added; the others were already known.
    /// - Throws: When the items could not be stored; none of them should then be considered accepted.
    @discardableResult
    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String>

    /// Leases up to `limit` items that are available at `now` (oldest first), including items whose lease has
    /// expired.
    /// - Parameters:
    ///   - limit: The most items to lease.
    ///   - now: The current time.
    ///   - duration: How long the lease lasts before the items become available again.
    /// - Returns: The leased items (possibly none).
    /// - Throws: When the store cannot be read.
    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem]

    /// Removes delivered items.
    /// - Parameter ids: The ids of leased items that were delivered.
    /// - Throws: When the store cannot be written.
    func acknowledge(_ ids: [String]) async throws

    /// Returns a leased item to pending, available from `date` (a retry after backoff), with its updated attempt
    /// count.
    /// - Parameters:
    ///   - item: The item, as updated by the attempt.
    ///   - date: When it may be leased again.
    /// - Throws: When the store cannot be written.
    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws

    /// Moves a leased item to the dead letters with the failure that ended it.
    /// - Parameters:
    ///   - item: The item, as updated by its last attempt.
    ///   - failure: Why it failed for good.
    /// - Throws: When the store cannot be written.
    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws

    /// The dead letters, oldest first.
    /// - Parameter limit: The most to return.
    /// - Returns: The dead letters with their reasons.
    /// - Throws: When the store cannot be read.
    func deadLetters(limit: Int) async throws -> [DeadLetter]

    /// Moves dead letters back to pending with their attempt counts reset, to be delivered again (after the cause
    /// was fixed).
    /// - Parameter ids: The dead letters to replay; `nil` for all.
    /// - Returns: How many were moved.
    /// - Throws: When the store cannot be written.
    func replayDeadLetters(_ ids: [String]?) async throws -> Int

    /// How many items are pending, leased and dead.
    /// - Returns: The counts.
    /// - Throws: When the store cannot be read.
    func counts() async throws -> OutboxCounts

    /// The earliest time a pending item becomes available, or `nil` when nothing is pending (leased items whose
    /// lease will expire count, at their expiry).
    /// - Returns: The time, possibly in the past.
    /// - Throws: When the store cannot be read.
    func nextAvailableDate() async throws -> Date?
}

/// An item that failed for good, with the reason.
public struct DeadLetter: Sendable, Hashable, Codable {
    /// The item as it was after its last attempt.
    public var item: DeliveryItem
    /// Why it failed.
    public var failure: DeliveryFailure

    /// Creates a dead letter.
    /// - Parameters:
    ///   - item: The item.
    ///   - failure: Why it failed.
    public init(item: DeliveryItem, failure: DeliveryFailure) {
        self.item = item
        self.failure = failure
    }
}

/// How many items an outbox holds in each state.
public struct OutboxCounts: Sendable, Hashable, Codable {
    /// Waiting to be leased (including items waiting for a retry time).
    public var pending: Int
    /// Taken by a deliverer.
    public var leased: Int
    /// Failed for good.
    public var dead: Int

    /// Creates counts.
    /// - Parameters:
    ///   - pending: Waiting items.
    ///   - leased: Taken items.
    ///   - dead: Failed items.
    public init(pending: Int, leased: Int, dead: Int) {
        self.pending = pending
        self.leased = leased
        self.dead = dead
    }

    /// Pending plus leased: what is still to be delivered.
    public var outstanding: Int { pending + leased }
}
