import Foundation

/// Where accepted items wait until they are delivered: the pipeline's memory, and the seam where a host plugs in
/// durable storage (a file journal, a database shared by several instances).
///
/// Items move through three states: **pending** (waiting, possibly until a retry time), **leased** (taken by a
/// deliverer; the lease expires if its holder dies, and the item becomes pending again), and **dead** (failed
/// for good, kept with its reason until replayed). Acknowledged items leave the outbox.
///
/// This protocol holds what a ``DeliveryPipeline`` needs; what an operator needs besides (dead letters, replay)
/// is ``OutboxAdministration``. An outbox says what it promises through ``capabilities``, so the pipeline never
/// asks which type it is.
///
/// Every method may be called from many tasks at once.
public protocol Outbox: Sendable {
    /// What this outbox promises beyond the protocol (durability, handing items back at shutdown). The pipeline
    /// adapts to these, never to the outbox's type.
    var capabilities: OutboxCapabilities { get }

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

    /// Extends the leases of items a deliverer is still working on, so they are not handed to another deliverer
    /// while it sends them (a slow org, a long Bulk job). Ids no longer leased (acknowledged, returned, or taken
    /// over after their lease ran out) are left alone: a stale holder cannot take an item back.
    /// - Parameters:
    ///   - ids: The leased items' ids.
    ///   - now: The current time.
    ///   - duration: How long the leases last from `now`.
    /// - Returns: The ids whose lease was extended; the others are no longer held by the caller.
    /// - Throws: When the store cannot be written.
    @discardableResult
    func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String>

    /// Extends the leases of items a deliverer is still working on, as ``renew(_:at:for:)`` does, but only those
    /// still leased under the lease each item carries (``DeliveryItem/lease``): a holder whose lease ran out and
    /// went to another deliverer renews nothing, and learns from the result that the item is no longer its to send.
    /// The pipeline calls this one; the default forwards the ids to ``renew(_:at:for:)``.
    /// - Parameters:
    ///   - items: The leased items, as this outbox handed them out.
    ///   - now: The current time.
    ///   - duration: How long the leases last from `now`.
    /// - Returns: The ids whose lease was extended; the others are no longer held by the caller.
    /// - Throws: When the store cannot be written.
    @discardableResult
    func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) async throws -> Set<String>

    /// Removes delivered items.
    /// - Parameter ids: The ids of leased items that were delivered.
    /// - Throws: When the store cannot be written.
    func acknowledge(_ ids: [String]) async throws

    /// Removes delivered items, as ``acknowledge(_:)`` does, but only those still leased under the lease each item
    /// carries (``DeliveryItem/lease``): a stale holder's acknowledgement changes nothing (the item stays with
    /// the deliverer that holds it now, and the next item with the same ordering key stays held back). The
    /// pipeline calls this one; the default forwards the ids to ``acknowledge(_:)``.
    /// - Parameter items: The delivered items, as this outbox handed them out.
    /// - Throws: When the store cannot be written.
    func acknowledge(leased items: [DeliveryItem]) async throws

    /// Returns a leased item to pending, available from `date` (a retry after backoff), with its updated attempt
    /// count. An outbox that sets ``DeliveryItem/lease`` ignores an item whose lease ran out and went to another
    /// deliverer.
    /// - Parameters:
    ///   - item: The item, as updated by the attempt.
    ///   - date: When it may be leased again.
    /// - Throws: When the store cannot be written.
    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws

    /// Moves a leased item to the dead letters with the failure that ended it. An outbox that sets
    /// ``DeliveryItem/lease`` ignores an item whose lease ran out and went to another deliverer.
    /// - Parameters:
    ///   - item: The item, as updated by its last attempt.
    ///   - failure: Why it failed for good.
    /// - Throws: When the store cannot be written.
    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws

    /// How many items are pending, leased and dead.
    /// - Returns: The counts.
    /// - Throws: When the store cannot be read.
    func counts() async throws -> OutboxCounts

    /// The earliest time a pending item becomes available, or `nil` when nothing is pending (leased items whose
    /// lease will expire count, at their expiry).
    /// - Returns: The time, possibly in the past.
    /// - Throws: When the store cannot be read.
    func nextAvailableDate() async throws -> Date?

    /// Removes and returns every item that is pending or leased, oldest first, for an outbox with
    /// ``OutboxCapabilities/handsBackUndelivered``; dead letters stay. An outbox without that capability returns
    /// nothing and keeps its items for the next run.
    /// - Returns: The undelivered items.
    /// - Throws: When the store cannot be read.
    func removeUndelivered() async throws -> [DeliveryItem]
}

extension Outbox {
    /// Renews by id: for outboxes that do not set ``DeliveryItem/lease``.
    /// - Parameters:
    ///   - items: The leased items.
    ///   - now: The current time.
    ///   - duration: How long the leases last from `now`.
    /// - Returns: The ids whose lease was extended.
    /// - Throws: What ``renew(_:at:for:)`` throws.
    @discardableResult
    public func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) async throws -> Set<String> {
        try await renew(items.map(\.id), at: now, for: duration)
    }

    /// Acknowledges by id: for outboxes that do not set ``DeliveryItem/lease``.
    /// - Parameter items: The delivered items.
    /// - Throws: What ``acknowledge(_:)`` throws.
    public func acknowledge(leased items: [DeliveryItem]) async throws {
        try await acknowledge(items.map(\.id))
    }
}

/// What an operator does with an outbox besides delivering from it: reads the dead letters and replays them once
/// the cause is fixed. ``InMemoryOutbox`` and ``FileOutbox`` conform; a pipeline needs only ``Outbox``.
public protocol OutboxAdministration: Outbox {
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
}

/// What an outbox promises beyond the ``Outbox`` protocol. A set of options, so new ones never break a
/// conformance.
public struct OutboxCapabilities: OptionSet, Sendable, Hashable {
    /// The bits.
    public let rawValue: Int

    /// Creates capabilities from their bits.
    /// - Parameter rawValue: The bits.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// What the outbox holds outlives the process (a file, a database). The pipeline then acknowledges after
    /// every request, so a crash repeats at most the requests in flight, and leaves to a later run what the
    /// org's API reserve stops.
    public static let durable = OutboxCapabilities(rawValue: 1 << 0)

    /// The outbox gives back what was not delivered at shutdown (``Outbox/removeUndelivered()``): the
    /// pipeline returns those items in ``DeliveryPipeline/ShutdownResult/undelivered``. For outboxes whose
    /// contents die with the process.
    public static let handsBackUndelivered = OutboxCapabilities(rawValue: 1 << 1)
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
