import FerryCore

/// Lets a test wait for the code under test to do something, without sleeping and without spinning: the test
/// double that sees the work (an outcome handler, a scripted destination, a mock server) calls ``signal()``, and
/// the test waits for the next signal, or for a sleeper on its ``/FerryCore/ManualClock``, then checks its
/// condition again.
///
/// Read ``generation`` before checking the condition and pass it to ``wait(after:orSleeperOn:giveUpAt:)``: a
/// signal that came in between makes the wait return at once, so none is lost.
///
/// ```swift
/// let progress = ProgressSignal()
/// let handler: @Sendable (DeliveryOutcome) -> Void = { outcome in
///     outcomes.withLock { $0.append(outcome) }
///     progress.signal()
/// }
/// // ... start a pipeline with `handler` as its outcome handler, then:
/// let giveUp = ContinuousClock.now + .seconds(60)
/// while ContinuousClock.now < giveUp {
///     let seen = progress.generation
///     if outcomes.withLock({ $0.count }) == 10 { break }
///     if clock.sleeperCount > 0, let next = clock.nextDeadline {
///         clock.advance(to: next)                      // the pipeline waits on the clock: move it on
///     } else {
///         await progress.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
///     }
/// }
/// ```
public final class ProgressSignal: Sendable {
    private let wake = WakeSignal()

    /// Creates a signal that has not been signalled.
    public init() {}

    /// How many times ``signal()`` has been called (wrapping): read it before checking a condition.
    public var generation: UInt64 { wake.generation }

    /// Tells every waiting test that something happened.
    public func signal() { wake.signal() }

    /// Returns once signalled after `seen` (at once if that already happened), when something sleeps on `clock`
    /// (if given), when the task is cancelled, or at `giveUp`: a safety net in real time that a passing test never
    /// reaches, so a test that goes wrong fails instead of hanging.
    /// - Parameters:
    ///   - seen: The ``generation`` read before the condition was checked.
    ///   - clock: A manual clock whose first sleeper also ends the wait; `nil` for none.
    ///   - giveUp: When to stop waiting regardless.
    public func wait(after seen: UInt64, orSleeperOn clock: ManualClock? = nil, giveUpAt giveUp: ContinuousClock.Instant)
        async
    {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wake.wait(after: seen) }
            if let clock { group.addTask { await clock.waitForSleepers(count: 1) } }
            group.addTask { try? await Task.sleep(until: giveUp) }
            await group.next()
            group.cancelAll()
        }
    }
}
