import Foundation

/// Wakes tasks that wait for new work, without losing a signal between looking and waiting: a waiter notes the
/// ``generation`` before it looks for work and waits only if nothing was signalled since.
///
/// A delivery pipeline's idle deliverers wait on one (signalled on enqueue, acknowledgement and release); a test
/// waits on one that its test doubles signal (FerryTesting's `ProgressSignal`).
///
/// ```swift
/// let seen = wake.generation
/// if let work = try await queue.next() { return work }
/// await wake.wait(after: seen, until: nil, clock: clock)   // returns at once if signalled since `seen`
/// ```
public final class WakeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = FerryMutex(State())

    /// Creates a signal that has not been signalled.
    public init() {}

    /// How many times ``signal()`` has been called (wrapping): read it before looking for work.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// How many tasks are waiting now.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Wakes every waiter.
    public func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when signalled after `seen`, at `deadline` on `clock` (if given), or when the task is cancelled.
    /// - Parameters:
    ///   - seen: The ``generation`` read before looking for work.
    ///   - deadline: The latest time to return at, on `clock`; `nil` for none.
    ///   - clock: The clock the deadline is read on.
    public func wait(after seen: UInt64, until deadline: Date?, clock: any FerryClock) async {
        if let deadline, deadline <= clock.now { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(after: seen) }
            if let deadline {
                group.addTask { try? await clock.sleep(until: deadline) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns when signalled after `seen` (at once if that already happened) or when the task is cancelled.
    /// - Parameter seen: The ``generation`` read before looking for work.
    public func wait(after seen: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != seen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
