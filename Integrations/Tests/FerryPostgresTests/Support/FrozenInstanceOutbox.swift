import FerryCore
import FerryDelivery
import Foundation

/// An outbox as seen by an instance whose process froze (a stop-the-world pause, SIGSTOP, a stalled VM): its lease
/// renewals do not reach the database until the gate opens, so its leases lapse while it is frozen, whatever its
/// heartbeat does. Everything else is passed straight to `base`.
struct FrozenInstanceOutbox: Outbox {
    let base: any Outbox
    let gate: Gate

    var capabilities: OutboxCapabilities { base.capabilities }

    func enqueue(_ items: [DeliveryItem]) async throws -> Set<String> { try await base.enqueue(items) }

    func lease(limit: Int, at now: Date, for duration: Duration) async throws -> [DeliveryItem] {
        try await base.lease(limit: limit, at: now, for: duration)
    }

    func renew(_ ids: [String], at now: Date, for duration: Duration) async throws -> Set<String> {
        await gate.wait()
        return try await base.renew(ids, at: Date(), for: duration)
    }

    func renew(leased items: [DeliveryItem], at now: Date, for duration: Duration) async throws -> Set<String> {
        await gate.wait()
        return try await base.renew(leased: items, at: Date(), for: duration)
    }

    func acknowledge(_ ids: [String]) async throws { try await base.acknowledge(ids) }

    func acknowledge(leased items: [DeliveryItem]) async throws { try await base.acknowledge(leased: items) }

    func reschedule(_ item: DeliveryItem, availableAt date: Date) async throws {
        try await base.reschedule(item, availableAt: date)
    }

    func deadLetter(_ item: DeliveryItem, failure: DeliveryFailure) async throws {
        try await base.deadLetter(item, failure: failure)
    }

    func counts() async throws -> OutboxCounts { try await base.counts() }

    func nextAvailableDate() async throws -> Date? { try await base.nextAvailableDate() }

    func removeUndelivered() async throws -> [DeliveryItem] { try await base.removeUndelivered() }
}
