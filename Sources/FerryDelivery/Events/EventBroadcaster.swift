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

    private let state = Mutex(State())
    let bufferSize: Int

    init(bufferSize: Int = 10_000) {
        self.bufferSize = bufferSize
    }

    var hasSubscribers: Bool { state.withLock { !$0.subscribers.isEmpty } }

    /// Events that subscribers' full buffers could not take.
    var droppedCount: Int { state.withLock { $0.dropped } }

    func subscribe() -> AsyncStream<DeliveryEvent> {
        let (stream, continuation) = AsyncStream<DeliveryEvent>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        let (id, finished) = state.withLock { state -> (Int, Bool) in
            state.nextID += 1
            if !state.finished { state.subscribers[state.nextID] = continuation }
            return (state.nextID, state.finished)
        }
        if finished {
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    func emit(_ event: DeliveryEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        guard !subscribers.isEmpty else { return }
        var dropped = 0
        for subscriber in subscribers {
            if case .dropped = subscriber.yield(event) { dropped += 1 }
        }
        if dropped > 0 { state.withLock { $0.dropped += dropped } }
    }

    func finish() {
        let subscribers = state.withLock { state -> [AsyncStream<DeliveryEvent>.Continuation] in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
