import Foundation
import FerryCore
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test("a sleeper wakes only when the clock reaches its deadline")
    func wakesAtDeadline() async throws {
        let clock = ManualClock()
        let start = clock.now
        let woke = FerryMutex<Date?>(nil)
        let task = Task {
            try await clock.sleep(for: .seconds(30))
            woke.withLock { $0 = clock.now }
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(29))
        #expect(clock.sleeperCount == 1)
        #expect(woke.withLock { $0 } == nil)
        clock.advance(by: .seconds(1))
        try await task.value
        #expect(woke.withLock { $0 } == start.addingTimeInterval(30))
        #expect(clock.sleeperCount == 0)
        #expect(clock.totalSleeps == 1)
    }

    @Test("sleepers wake in deadline order")
    func wakeOrder() async throws {
        let clock = ManualClock()
        let order = Recorder()
        var tasks: [Task<Void, any Error>] = []
        for seconds in [3, 1, 2] {
            tasks.append(Task {
                try await clock.sleep(for: .seconds(seconds))
                order.append(seconds)
            })
        }
        await clock.waitForSleepers(count: 3)
        #expect(clock.nextDeadline == clock.now.addingTimeInterval(1))
        clock.advance(by: .seconds(10))
        for task in tasks { try await task.value }
        // Resumption order of separate tasks is not guaranteed by the scheduler; all three woke.
        #expect(order.items.sorted() == [1, 2, 3])
    }

    @Test("cancelling a sleeper throws CancellationError at once, without advancing time")
    func cancellation() async throws {
        let clock = ManualClock()
        let task = Task { try await clock.sleep(for: .seconds(3600)) }
        await clock.waitForSleepers(count: 1)
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("a task cancelled before it sleeps does not sleep")
    func cancelledBeforeSleeping() async throws {
        let clock = ManualClock()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(5))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test("zero and negative durations return at once; advance never goes backwards")
    func edges() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 100))
        try await clock.sleep(for: .zero)
        try await clock.sleep(for: .seconds(-1))
        try await clock.sleep(until: Date(timeIntervalSince1970: 50))
        clock.advance(to: Date(timeIntervalSince1970: 10))
        #expect(clock.now == Date(timeIntervalSince1970: 100))
        clock.advance(by: .seconds(-5))
        #expect(clock.now == Date(timeIntervalSince1970: 100))
        #expect(clock.totalSleeps == 0)
    }

    @Test("sleep(until:) waits for the given time")
    func sleepUntil() async throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 0))
        let task = Task { try await clock.sleep(until: Date(timeIntervalSince1970: 60)) }
        await clock.waitForSleepers()
        clock.advance(to: Date(timeIntervalSince1970: 60))
        try await task.value
    }

    /// Yields until `condition` holds (bounded): for state another task sets without sleeping on the clock.
    static func yield(until condition: () -> Bool) async {
        for _ in 0..<100_000 where !condition() { await Task.yield() }
    }

    @Test("a watcher wakes when time passes its deadline but never becomes the next deadline")
    func watcherDoesNotDriveTime() async throws {
        let clock = ManualClock()
        let start = clock.now
        let woke = FerryMutex<Date?>(nil)
        let watcher = Task {
            try await clock.watch(until: start.addingTimeInterval(10))
            woke.withLock { $0 = clock.now }
        }
        await Self.yield { clock.watcherCount == 1 }
        #expect(clock.watcherCount == 1)
        // Not a sleeper: a test that moves the clock to its next deadline sees none, and waiters do not count it.
        #expect(clock.nextDeadline == nil)
        #expect(clock.sleeperCount == 0)
        #expect(clock.totalSleeps == 0)
        let sleeper = Task { try await clock.sleep(for: .seconds(30)) }
        await clock.waitForSleepers(count: 1)
        #expect(clock.nextDeadline == start.addingTimeInterval(30))
        clock.advance(by: .seconds(9))
        #expect(woke.withLock { $0 } == nil)
        clock.advance(to: start.addingTimeInterval(30))
        try await watcher.value
        try await sleeper.value
        #expect(woke.withLock { $0 } == start.addingTimeInterval(30))
        #expect(clock.watcherCount == 0)
        // A deadline already passed returns at once.
        try await clock.watch(until: start)
    }

    @Test("cancelling a watcher throws CancellationError and leaves no watcher behind")
    func watcherCancellation() async throws {
        let clock = ManualClock()
        let task = Task { try await clock.watch(until: clock.now.addingTimeInterval(3600)) }
        await Self.yield { clock.watcherCount == 1 }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.watcherCount == 0)
    }

    @Test("the system clock reads real time and honours cancellation")
    func systemClock() async throws {
        let clock: any FerryClock = .system
        #expect(abs(clock.now.timeIntervalSinceNow) < 5)
        try await clock.sleep(for: .milliseconds(1))
        try await clock.watch(until: clock.now.addingTimeInterval(0.001))
        let task = Task { try await SystemClock().sleep(for: .seconds(3600)) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(Duration.milliseconds(1500).seconds == 1.5)
    }

    @Test("waiting for sleepers ends when the waiting task is cancelled, before or after it started waiting")
    func waitForSleepersCancelled() async {
        let clock = ManualClock()
        let waiting = Task { await clock.waitForSleepers(count: 1) }
        // Cancelled while (or before) it waits: it returns although nothing sleeps on the clock.
        waiting.cancel()
        await waiting.value
        #expect(clock.sleeperCount == 0)
        // A waiter that raced with another: the group's loser is cancelled and the group ends.
        let first = await withTaskGroup(of: String.self) { group in
            group.addTask { await clock.waitForSleepers(count: 5); return "sleepers" }
            group.addTask { "other" }
            let first = await group.next()
            group.cancelAll()
            return first
        }
        #expect(first == "other")
        // The cancelled waiters are gone: a later sleeper wakes only the live waiter.
        let live = Task { await clock.waitForSleepers(count: 1) }
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        await live.value
        clock.advance(by: .seconds(1))
        try? await sleeper.value
    }
}

/// Collects values from several tasks.
final class Recorder: Sendable {
    private let storage = FerryMutex<[Int]>([])
    func append(_ value: Int) { storage.withLock { $0.append(value) } }
    var items: [Int] { storage.withLock { $0 } }
}
