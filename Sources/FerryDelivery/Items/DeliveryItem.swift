import FerryCore
import Foundation

/// One rendered record on its way to Salesforce.
///
/// The ``id`` is the item's identity for its whole life: it is sent as the `Idempotency-Key` header on every
/// attempt, so a retry (or a replay after a crash) of a request that was already stored is recognised and stored
/// once. Items are `Codable` so outboxes can persist them.
public struct DeliveryItem: Sendable, Hashable, Codable {
    /// The stable identity of the item, sent as `Idempotency-Key`.
    public let id: String
    /// The rendered payload as validated JSON bytes: the Apex REST request body as it is, or the record's fields
    /// for sObject destinations (which parse it with ``/FerryCore/RawJSON/value``). Outboxes store the bytes as they
    /// are, so an item is never re-parsed between render and wire.
    public var payload: RawJSON
    /// A routing key for pipelines that feed several destinations (e.g. the context's `recordType`).
    public var route: String?
    /// The item's position in its source (a JSONL line number, say), for reports; `nil` when there is none.
    public var sequence: Int?
    /// Attempts made so far.
    public var attempts: Int
    /// When the first attempt was made, for retry deadlines and latency.
    public var firstAttemptAt: Date?
    /// When the item was accepted, for end-to-end latency.
    public var acceptedAt: Date?
    /// Items with the same ordering key are never in flight together and are delivered in the order they were
    /// accepted, retries included (an item being retried holds back the later ones until it is delivered or
    /// dead-lettered); items with different keys, or none, still go in parallel. `nil` (the default) lets the
    /// pipeline ask its destination (``Destination/orderingKey(for:)``): an sObject upsert orders by the record's
    /// external ID. Set it for Apex REST payloads that update one record, e.g. to the user id.
    public var orderingKey: String?
    /// The lease an outbox handed this copy of the item out under (``Outbox/lease(limit:at:for:)``), `nil` for an
    /// item not leased. An outbox that sets it compares it when the item is renewed, acknowledged, rescheduled or
    /// dead-lettered: a holder whose lease ran out, and was taken over by another deliverer, then changes nothing.
    /// Not part of the item's value: it is left out of equality, hashing and coding.
    public var lease: LeaseToken? {
        get { leaseSlot.token }
        set { leaseSlot.token = newValue }
    }
    private var leaseSlot = LeaseSlot()

    private enum CodingKeys: String, CodingKey {
        case id, payload, route, sequence, attempts, firstAttemptAt, acceptedAt, orderingKey
    }

    /// Creates an item that has not been attempted yet.
    /// - Parameters:
    ///   - id: The stable identity, sent as `Idempotency-Key`.
    ///   - payload: The rendered payload, as checked bytes.
    ///   - route: A routing key, if the pipeline routes.
    ///   - sequence: The position in the source, for reports.
    public init(id: String, payload: RawJSON, route: String? = nil, sequence: Int? = nil) {
        self.id = id
        self.payload = payload
        self.route = route
        self.sequence = sequence
        attempts = 0
        firstAttemptAt = nil
        acceptedAt = nil
    }
}

extension DeliveryItem {
    /// Creates an item that has not been attempted yet from a JSON value, written once as its compact text.
    /// - Parameters:
    ///   - id: The stable identity, sent as `Idempotency-Key`.
    ///   - payload: The payload (a dictionary literal works: `["npsScore": 9]`).
    ///   - route: A routing key, if the pipeline routes.
    ///   - sequence: The position in the source, for reports.
    public init(id: String, payload: JSONValue, route: String? = nil, sequence: Int? = nil) {
        self.init(id: id, payload: RawJSON(payload), route: route, sequence: sequence)
    }
}

/// Identifies one lease of an item: an outbox gives each lease it hands out a new token, and keeps it through
/// renewals, so a holder whose lease ran out (and was leased to another) is told apart from the current holder.
public struct LeaseToken: Sendable, Hashable {
    /// The token's value, unique per lease within one outbox.
    public let rawValue: UInt64

    /// Creates a token.
    /// - Parameter rawValue: The value, unique per lease within the outbox that hands it out.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
}

/// Holds an item's lease token outside its value: every slot equals every other, hashes to nothing, and is not
/// coded, so two copies of an item under different leases are still the same item.
private struct LeaseSlot: Sendable, Hashable {
    var token: LeaseToken?

    static func == (_: LeaseSlot, _: LeaseSlot) -> Bool { true }
    func hash(into _: inout Hasher) {}
}
