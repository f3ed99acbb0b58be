import FerryCore

/// A counting semaphore for async code: the pipeline's bounded queue. `acquire` suspends while no permit is free
/// (first come, first served) and throws `CancellationError` if the waiting task is cancelled.
final class AsyncSemaphore: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var available: Int
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
        var cancelledEarly: Set<UInt64> = []
    }

    private let state: FerryMutex<State>

    init(permits: Int) {
        state = FerryMutex(State(available: permits))
    }

    func acquire() async throws {
        let id: UInt64? = state.withLock { state in
            if state.available > 0 && state.waiters.isEmpty {
                state.available -= 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Decision { case cancelled, acquired, waiting }
                let decision = state.withLock { state -> Decision in
                    if state.cancelledEarly.remove(id) != nil { return .cancelled }
                    if state.available > 0 && state.waiters.isEmpty {
                        state.available -= 1
                        return .acquired
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .waiting
                }
                switch decision {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .acquired: continuation.resume()
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index) }
                state.cancelledEarly.insert(id)
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Takes between 1 and `wanted` permits: every free one up to `wanted` at once, or, when none is free (or
    /// others wait first), waits for one as ``acquire()`` does.
    /// - Returns: How many permits the caller now holds.
    func acquire(upTo wanted: Int) async throws -> Int {
        let granted = state.withLock { state -> Int in
            guard state.waiters.isEmpty else { return 0 }
            let granted = min(state.available, wanted)
            state.available -= granted
            return granted
        }
        if granted > 0 { return granted }
        try await acquire()
        return 1
    }

    func release(_ count: Int = 1) {
        guard count > 0 else { return }
        let woken = state.withLock { state -> [Waiter] in
            state.available += count
            var woken: [Waiter] = []
            while state.available > 0 && !state.waiters.isEmpty {
                state.available -= 1
                woken.append(state.waiters.removeFirst())
            }
            return woken
        }
        for waiter in woken { waiter.continuation.resume() }
    }
}
