import Foundation

/// A clock that moves only when told to: for tests, simulations and demos that must not wait in real time.
///
/// ```swift
/// let clock = ManualClock()
/// let task = Task { try await clock.sleep(for: .seconds(30)) }
/// await clock.waitForSleepers(count: 1)   // the task is now waiting
/// clock.advance(by: .seconds(30))         // ...and wakes up
/// ```
///
/// Sleepers wake in deadline order when ``advance(by:)`` or ``advance(to:)`` moves the time to or past their
/// deadline. A cancelled sleeper throws `CancellationError` at once.
public final class ManualClock: FerryClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        let id: UInt64
        let count: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var now: Date
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelledBeforeRegistration: Set<UInt64> = []
        var waiters: [Waiter] = []
        var totalSleeps = 0

        /// Removes and returns the waiters whose sleeper count is reached.
        mutating func readyWaiters() -> [Waiter] {
            let ready = waiters.filter { $0.count <= sleepers.count }
            waiters.removeAll { $0.count <= sleepers.count }
            return ready
        }
    }

    private let state: FerryMutex<State>

    /// Creates a clock reading `now` (by default 2023-11-14T22:13:20Z, a fixed instant so tests are repeatable).
    /// - Parameter now: The starting time.
    public init(now: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        state = FerryMutex(State(now: now))
    }

    /// The clock's current time.
    public var now: Date { state.withLock { $0.now } }

    /// How many tasks are sleeping on this clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// How many sleeps with a positive duration have started since the clock was made.
    public var totalSleeps: Int { state.withLock { $0.totalSleeps } }

    /// The earliest deadline among the sleepers, if any sleep.
    public var nextDeadline: Date? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    /// Suspends until the clock is advanced by at least `duration`.
    /// - Parameter duration: How long to wait; zero or negative returns at once.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            state.totalSleeps += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, ready) = state.withLock { state -> (Bool?, [Waiter]) in
                    if state.cancelledBeforeRegistration.remove(id) != nil { return (false, []) }
                    let deadline = state.now.addingTimeInterval(duration.seconds)
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return (nil, state.readyWaiters())
                }
                if outcome == false { continuation.resume(throwing: CancellationError()) }
                for waiter in ready { waiter.continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let index = state.sleepers.firstIndex(where: { $0.id == id }) {
                    return state.sleepers.remove(at: index)
                }
                state.cancelledBeforeRegistration.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward and wakes every sleeper whose deadline has come, earliest first.
    /// - Parameter duration: How far to move; negative values are ignored.
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        let target = now.addingTimeInterval(duration.seconds)
        advance(to: target)
    }

    /// Moves the time to `date` (never backwards) and wakes every sleeper whose deadline has come, earliest first.
    /// - Parameter date: The new time.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [Sleeper] in
            if date > state.now { state.now = date }
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock, so a test can advance time knowing the
    /// code under test is already waiting. Returns early when the waiting task is cancelled, so a test can wait for
    /// a sleeper or for something else, whichever comes first.
    /// - Parameter count: The number of sleepers to wait for.
    public func waitForSleepers(count: Int = 1) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.sleepers.count >= count || Task.isCancelled { return true }
                    state.waiters.append(Waiter(id: id, count: count, continuation: continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}
