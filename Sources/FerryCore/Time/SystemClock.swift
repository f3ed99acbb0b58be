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
}

extension FerryClock where Self == SystemClock {
    /// The real clock.
    public static var system: SystemClock { SystemClock() }
}
