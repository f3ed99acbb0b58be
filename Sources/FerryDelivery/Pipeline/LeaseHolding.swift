import FerryCore
import Foundation

/// The items of one lease a deliverer is still working on (each with the lease token the outbox gave it), and when
/// their leases were last renewed; shared with the heartbeat that renews them while a call is in flight.
///
/// The deliverer works through its lease in order and moves the finished count forward as requests end; a renewal
/// covers what is not finished, and records the ids the outbox no longer holds for this deliverer
/// (its lease ran out while the deliverer was stalled and another took the item): the deliverer then skips them,
/// so an item is never sent by two deliverers at once.
final class LeaseHolding: Sendable {
    private struct State {
        var finished = 0
        var lost: Set<String> = []
        var renewedAt: Date
    }

    private let items: [DeliveryItem]
    private let state: FerryMutex<State>

    init(_ items: [DeliveryItem], renewedAt: Date) {
        self.items = items
        state = FerryMutex(State(renewedAt: renewedAt))
    }

    /// When the leases were taken or last renewed.
    var renewedAt: Date {
        get { state.withLock { $0.renewedAt } }
        set { state.withLock { $0.renewedAt = newValue } }
    }

    /// The items still held: those not finished.
    var held: ArraySlice<DeliveryItem> {
        let finished = state.withLock { $0.finished }
        return items[min(finished, items.count)...]
    }

    /// Marks the first `count` items settled in the outbox (acknowledged, rescheduled, dead-lettered or handed
    /// back): their leases are no longer renewed.
    func finish(through count: Int) {
        state.withLock { $0.finished = max($0.finished, count) }
    }

    /// Records ids whose lease the outbox did not renew.
    func markLost(_ lost: some Sequence<String>) {
        state.withLock { $0.lost.formUnion(lost) }
    }

    /// Splits `batch` into the items still held and those lost to another deliverer.
    func keepHeld(_ batch: [DeliveryItem]) -> (held: [DeliveryItem], lost: [DeliveryItem]) {
        let lost = state.withLock { $0.lost }
        guard !lost.isEmpty else { return (batch, []) }
        var held: [DeliveryItem] = []
        var gone: [DeliveryItem] = []
        for item in batch {
            if lost.contains(item.id) { gone.append(item) } else { held.append(item) }
        }
        return (held, gone)
    }
}
