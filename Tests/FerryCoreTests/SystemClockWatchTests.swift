import FerryCore
import Foundation
import Testing

/// `SystemClock.watch(until:)` waits on a timer that a cancellation takes down at once (a lease heartbeat is
/// cancelled far more often than it fires). Real time, in milliseconds: this is the real clock itself.
@Suite("SystemClock.watch")
struct SystemClockWatchTests {
    @Test("a watch returns once its deadline has passed, not before")
    func returnsAtDeadline() async throws {
        let clock = SystemClock()
        let start = ContinuousClock.now
        try await clock.watch(until: clock.now.addingTimeInterval(0.02))
        #expect(ContinuousClock.now - start >= .milliseconds(19))
    }

    @Test("a deadline in the past returns at once")
    func pastDeadline() async throws {
        let clock = SystemClock()
        try await clock.watch(until: clock.now.addingTimeInterval(-5))
    }

    @Test("cancelling an hour-long watch ends it at once with CancellationError")
    func cancelledWatchEndsAtOnce() async throws {
        let clock = SystemClock()
        let started = ContinuousClock.now
        let watch = Task { try await clock.watch(until: clock.now.addingTimeInterval(3600)) }
        watch.cancel()
        await #expect(throws: CancellationError.self) { try await watch.value }
        #expect(ContinuousClock.now - started < .seconds(60))   // a guard: the watch was an hour long
    }

    @Test("a task cancelled before it watches throws at once", arguments: [0.0, 3600.0])
    func cancelledBeforeWatching(seconds: Double) async throws {
        let clock = SystemClock()
        let watch = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.watch(until: clock.now.addingTimeInterval(seconds))
        }
        await #expect(throws: CancellationError.self) { try await watch.value }
    }

    @Test("many watches cancelled mid-wait all end, and later watches still fire")
    func manyCancelled() async throws {
        let clock = SystemClock()
        let cancelled = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    do { try await clock.watch(until: clock.now.addingTimeInterval(3600)); return false } catch { return true }
                }
            }
            group.cancelAll()
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(cancelled == 1_000)
        try await clock.watch(until: clock.now.addingTimeInterval(0.005))
    }
}
