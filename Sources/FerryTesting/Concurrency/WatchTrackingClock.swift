import FerryCore
import Foundation

/// A ``/FerryCore/ManualClock`` as the code under test sees it, telling a test what the watchers on it (a
/// pipeline's lease heartbeats) are doing, so the test moves the clock only once those a step woke have done their
/// work, without sleeping.
///
/// A heartbeat wakes from ``watch(until:)`` when the clock passes its deadline, renews its lease, and watches again
/// with a later deadline (or is cancelled). One whose last deadline has passed and that has not watched again is
/// still renewing (``renewing``), even before its task has resumed; the clock only knows a watcher once it has
/// registered, this view knows it from the call. Every watch signals ``progress`` as it starts and as it is
/// cancelled.
///
/// ```swift
/// let clock = ManualClock()
/// let tracked = WatchTrackingClock(clock, progress: progress)
/// let pipeline = DeliveryPipeline(destination: destination, transport: org, outbox: outbox, clock: tracked)
/// // ... then step `clock` only while `tracked.renewing == 0`, waiting on `progress` otherwise.
/// ```
public final class WatchTrackingClock: FerryClock {
    /// The clock the test moves.
    public let base: ManualClock
    /// Signalled when a watch starts and when one is cancelled.
    public let progress: ProgressSignal
    /// The deadline of each task's latest watch, until the task watches again or is cancelled while watching.
    private let deadlines = FerryMutex<[Int: Date]>([:])

    /// Creates a view of `base`.
    /// - Parameters:
    ///   - base: The clock the test moves.
    ///   - progress: The signal to fire on each watch's start and cancellation (a test's shared one, so one wait
    ///     covers outcomes and watchers).
    public init(_ base: ManualClock, progress: ProgressSignal = ProgressSignal()) {
        self.base = base
        self.progress = progress
    }

    /// The base clock's time.
    public var now: Date { base.now }

    /// Watchers whose deadline has passed and that have not watched again or been cancelled: still at work.
    public var renewing: Int {
        let now = base.now
        return deadlines.withLock { $0.values.filter { $0 <= now }.count }
    }

    /// Watchers waiting for a deadline still ahead (one that has just called ``watch(until:)`` included).
    public var watching: Int {
        let now = base.now
        return deadlines.withLock { $0.values.filter { $0 > now }.count }
    }

    /// Sleeps on the base clock.
    /// - Parameter duration: How long to wait.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func sleep(for duration: Duration) async throws { try await base.sleep(for: duration) }

    /// Watches the base clock until `deadline`, recording the deadline for ``renewing`` and ``watching``.
    /// - Parameter deadline: The time to wake at.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func watch(until deadline: Date) async throws {
        let task = withUnsafeCurrentTask { $0?.hashValue ?? 0 }
        deadlines.withLock { $0[task] = deadline }
        progress.signal()
        do {
            try await base.watch(until: deadline)
        } catch {
            deadlines.withLock { _ = $0.removeValue(forKey: task) }
            progress.signal()
            throw error
        }
    }
}
