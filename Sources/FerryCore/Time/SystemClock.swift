import Foundation

/// The real clock: `Date()` for the time, `Task.sleep` for waiting.
public struct SystemClock: FerryClock {
    /// Creates the system clock.
    public init() {}

    /// The current time.
    public var now: Date { Date() }

    /// Sleeps with `Task.sleep`, on the continuous clock.
    /// - Parameter duration: How long to wait; zero or negative returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(for: duration)
    }

    /// Waits until `deadline` on a Dispatch timer that a cancellation removes at once, for waits that are
    /// cancelled far more often than they end (a lease heartbeat): a cancelled `Task.sleep` keeps its timer queued
    /// until the deadline it will never be needed for.
    /// - Parameter deadline: The time to wake at; a time in the past returns at once.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func watch(until deadline: Date) async throws {
        let remaining = deadline.timeIntervalSince(now)
        guard remaining > 0 else {
            try Task.checkCancellation()
            return
        }
        try await TimerWait.wait(seconds: remaining)
    }
}

extension FerryClock where Self == SystemClock {
    /// The real clock.
    public static var system: SystemClock { SystemClock() }
}
