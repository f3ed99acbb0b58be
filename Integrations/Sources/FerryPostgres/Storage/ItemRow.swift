import FerryCore
import FerryDelivery
import Foundation
import PostgresNIO

/// One row of the outbox table as the outbox's queries return it (the columns of ``columns``, in order).
struct ItemRow: Sendable {
    /// The columns every item query selects, in the order ``init(_:)`` reads them.
    static let columns = "position, id, payload::text, route, sequence, accepted_at, attempts, first_attempt_at, ordering_key"
    static let columnCount = 9

    var position: Int
    var id: String
    var payload: String
    var route: String?
    var sequence: Int?
    var acceptedAt: Date?
    var attempts: Int
    var firstAttemptAt: Date?
    var orderingKey: String?

    init(_ row: PostgresRow) throws {
        let cells = row.makeRandomAccess()
        position = try cells[0].decode(Int.self)
        id = try cells[1].decode(String.self)
        payload = try cells[2].decode(String.self)
        route = try cells[3].decode(String?.self)
        sequence = try cells[4].decode(Int?.self)
        acceptedAt = try cells[5].decode(Date?.self)
        attempts = try cells[6].decode(Int.self)
        firstAttemptAt = try cells[7].decode(Date?.self)
        orderingKey = try cells[8].decode(String?.self)
    }

    /// The delivery item the row holds, its payload the column's text as it is.
    ///
    /// The text is checked (no tree is built) rather than trusted: the table is open to SQL, and PostgreSQL's
    /// `json` type accepts text this SDK refuses (a lone `\ud800` escape, say).
    /// - Throws: `JSONParseError` when the payload is not JSON this SDK reads.
    func item() throws -> DeliveryItem {
        make(payload: try RawJSON(validating: payload))
    }

    /// The item with its payload kept as text, for a row whose payload cannot be parsed.
    func fallbackItem() -> DeliveryItem {
        make(payload: RawJSON(.string(payload)))
    }

    private func make(payload: RawJSON) -> DeliveryItem {
        var item = DeliveryItem(id: id, payload: payload, route: route, sequence: sequence)
        item.attempts = attempts
        item.firstAttemptAt = firstAttemptAt
        item.acceptedAt = acceptedAt
        item.orderingKey = orderingKey
        return item
    }
}
