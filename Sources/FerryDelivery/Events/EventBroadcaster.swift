import FerryCore
import Synchronization

/// Fans events out to every subscriber without ever blocking the pipeline: each subscriber has a bounded buffer
/// that keeps the newest events; events a slow subscriber could not take are counted.
final class EventBroadcaster: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<DeliveryEvent>.Continuation] = [:]
        var dropped = 0
        var finished = false
    }

    private let state = FerryMutex(State())
    /// The number of subscribers, readable without the lock: the pipeline emits several events per item, and
    /// with nobody listening (the common case) an emit costs one atomic load.
    private let subscriberCount = Atomic<Int>(0)
    let bufferSize: Int

    init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
    }

    var hasSubscribers: Bool { subscriberCount.load(ordering: .acquiring) > 0 }

    /// Events that subscribers' full buffers could not take.
    var droppedCount: Int { state.withLock { $0.dropped } }

    func subscribe() -> AsyncStream<DeliveryEvent> {
        let (stream, continuation) = AsyncStream<DeliveryEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let (id, finished) = state.withLock { state -> (Int, Bool) in
            state.nextID += 1
            if !state.finished {
                state.subscribers[state.nextID] = continuation
                subscriberCount.store(state.subscribers.count, ordering: .releasing)
            }
            return (state.nextID, state.finished)
        }
        if finished {
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in
                guard let self else { return }
                self.state.withLock { state in
                    state.subscribers.removeValue(forKey: id)
                    self.subscriberCount.store(state.subscribers.count, ordering: .releasing)
                }
            }
        }
        return stream
    }

    /// Sends `event` to every subscriber. The event is built only when someone subscribes.
    func emit(_ event: @autoclosure () -> DeliveryEvent) {
        guard hasSubscribers else { return }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        guard !subscribers.isEmpty else { return }
        let event = event()
        var dropped = 0
        for subscriber in subscribers {
            if case .dropped = subscriber.yield(event) { dropped += 1 }
        }
        if dropped > 0 { state.withLock { $0.dropped += dropped } }
    }

    func finish() {
        let subscribers = state.withLock { state -> [AsyncStream<DeliveryEvent>.Continuation] in
            state.finished = true
            subscriberCount.store(0, ordering: .releasing)
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
