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
/// deadline. A cancelled sleeper throws `CancellationError` at once. Watchers (``watch(until:)``) wake the same
/// way but are not sleepers: ``nextDeadline``, ``sleeperCount`` and ``waitForSleepers(count:)`` leave them out,
/// so a test that moves the clock to the next deadline moves it as it would without them (``watcherCount``
/// counts them).
public final class ManualClock: FerryClock {
    private struct Sleeper {
        let id: UInt64
        let deadline: Date
        let continuation: CheckedContinuation<Void, any Error>
        /// A watcher: wakes with the others but is not counted or reported as a deadline.
        let watches: Bool
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
            let sleeping = sleeperCount
            let ready = waiters.filter { $0.count <= sleeping }
            waiters.removeAll { $0.count <= sleeping }
            return ready
        }

        var sleeperCount: Int { sleepers.lazy.filter { !$0.watches }.count }
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
    public var sleeperCount: Int { state.withLock { $0.sleeperCount } }

    /// How many tasks are watching this clock (``watch(until:)``) right now.
    public var watcherCount: Int { state.withLock { state in state.sleepers.lazy.filter(\.watches).count } }

    /// How many sleeps with a positive duration have started since the clock was made.
    public var totalSleeps: Int { state.withLock { $0.totalSleeps } }

    /// The earliest deadline among the sleepers, if any sleep. Watchers are left out: they never move time by
    /// themselves.
    public var nextDeadline: Date? {
        state.withLock { state in state.sleepers.lazy.filter { !$0.watches }.map(\.deadline).min() }
    }

    /// Suspends until the clock is advanced by at least `duration`.
    /// - Parameter duration: How long to wait; zero or negative returns at once.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(for duration: Duration) async throws {
        try await wait(for: duration, watches: false)
    }

    /// Suspends until the clock is moved to or past `deadline`, as a watcher: left out of ``nextDeadline``,
    /// ``sleeperCount`` and ``waitForSleepers(count:)``, so it never moves time by itself.
    /// - Parameter deadline: The time to wake at; a time at or before ``now`` returns at once.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func watch(until deadline: Date) async throws {
        try await wait(for: .seconds(deadline.timeIntervalSince(now)), until: deadline, watches: true)
    }

    /// Registers a sleeper until `deadline` (or `duration` from the time of registration) and suspends.
    private func wait(for duration: Duration, until deadline: Date? = nil, watches: Bool) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            if !watches { state.totalSleeps += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, ready) = state.withLock { state -> (Bool?, [Waiter]) in
                    if state.cancelledBeforeRegistration.remove(id) != nil { return (false, []) }
                    let deadline = deadline ?? state.now.addingTimeInterval(duration.seconds)
                    // The clock may have passed an absolute deadline since the caller looked.
                    if deadline <= state.now { return (true, []) }
                    state.sleepers.append(
                        Sleeper(id: id, deadline: deadline, continuation: continuation, watches: watches))
                    return (nil, state.readyWaiters())
                }
                if outcome == false { continuation.resume(throwing: CancellationError()) }
                if outcome == true { continuation.resume() }
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
                    if state.sleeperCount >= count || Task.isCancelled { return true }
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
