import Foundation

/// The source of time for everything in Ferry that reads the time or waits: token expiry, retry backoff,
/// rate limits, circuit breakers, the Liquid `"now"` date.
///
/// Production code uses ``SystemClock``; tests inject a ``ManualClock`` and move time forward by hand, so no test
/// ever sleeps.
public protocol FerryClock: Sendable {
    /// The current wall-clock time.
    var now: Date { get }

    /// Suspends the calling task for `duration` of this clock's time.
    /// - Parameter duration: How long to wait; zero or negative returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func sleep(for duration: Duration) async throws

    /// Suspends the calling task until this clock reads `deadline`, as a watcher beside other work (a lease
    /// heartbeat during a long request) rather than as work that waits for the time. A real clock treats it as
    /// ``sleep(until:)``. A test clock that a test moves to its next deadline leaves it out of that deadline
    /// (``ManualClock/nextDeadline``), so a watcher wakes when time passes its deadline but never moves time
    /// there by itself: the same run gives the same virtual times with or without watchers.
    /// - Parameter deadline: The time to wake at; a time in the past returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func watch(until deadline: Date) async throws
}

extension FerryClock {
    /// Suspends the calling task until this clock reads `deadline`.
    /// - Parameter deadline: The time to wake at; a time in the past returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSince(now)
        try await sleep(for: .seconds(remaining))
    }

    /// Waits as ``sleep(until:)``: a clock that nothing but time moves needs no difference between the two.
    /// - Parameter deadline: The time to wake at; a time in the past returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func watch(until deadline: Date) async throws {
        try await sleep(until: deadline)
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    public var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
