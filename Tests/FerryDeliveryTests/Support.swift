import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import Testing

/// A destination whose replies a test scripts, recording every attempt.
final class ScriptedDestination: Destination {
    typealias Script = @Sendable (_ batch: [DeliveryItem], _ call: Int) async -> [DeliveryAttemptResult]

    let maximumBatchSize: Int
    private let script: Script
    private let calls = FerryMutex<[[DeliveryItem]]>([])

    init(batchSize: Int = 1, script: @escaping Script) {
        maximumBatchSize = batchSize
        self.script = script
    }

    /// Every attempt's items, in order.
    var attempts: [[DeliveryItem]] { calls.withLock { $0 } }

    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        let call = calls.withLock { calls -> Int in
            calls.append(batch)
            return calls.count
        }
        Progress.shared.signal()
        return await script(batch, call)
    }
}

/// A transport that must not be used: destinations in these tests answer by script.
struct UnusedTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        Issue.record("the transport should not be called")
        return HTTPResponse(status: 500)
    }
}

let ok = DeliveryAttemptResult.delivered(DeliveryReceipt(status: 201, salesforceID: "a01", created: true))

func transient(_ code: DeliveryErrorCode = "SERVER_UNAVAILABLE", status: Int = 503, retryAfter: Duration? = nil) -> DeliveryAttemptResult {
    .failed(DeliveryFailure(status: status, errorCode: code, message: "try later", retryability: .transient, retryAfter: retryAfter))
}

func final(_ code: DeliveryErrorCode = "REQUIRED_FIELD_MISSING") -> DeliveryAttemptResult {
    .failed(DeliveryFailure(status: 400, errorCode: code, message: "Required fields are missing: [Name]", retryability: .final))
}

func items(_ count: Int, prefix: String = "item") -> [DeliveryItem] {
    (1...count).map { DeliveryItem(id: "\(prefix)-\($0)", payload: ["n": .int($0)], sequence: $0) }
}

/// Moves a manual clock forward to each next deadline until `done` holds (or a step limit is reached).
///
/// Time moves only while the code under test is asleep on the clock (`sleeperCount > 0`), so it never jumps while
/// a deliverer is still working towards an earlier deadline. Between those moments it waits, without spinning and
/// without a timed guess, until the code under test either sleeps on the clock or makes ``Progress`` (an outcome
/// logged, a destination called); 60 s of real time without the condition holding fails the test instead of
/// hanging it.
func drive(_ clock: ManualClock, maxSteps: Int = 10_000, until done: @Sendable () async -> Bool) async {
    let giveUp = ContinuousClock.now + .seconds(60)
    var advances = 0
    while advances < maxSteps, ContinuousClock.now < giveUp {
        let seen = Progress.shared.generation
        if await done() { return }
        if clock.sleeperCount > 0, let next = clock.nextDeadline {
            clock.advance(to: next)
            advances += 1
        } else {
            await Progress.shared.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
        }
    }
    Issue.record("the condition did not hold after \(advances) clock steps")
}

/// Something the code under test did that a waiting test may be looking for: an ``OutcomeLog`` entry, a
/// ``ScriptedDestination`` call, the end of ``advancing(_:by:_:)``'s work. One signal for the whole test process
/// (tests run in parallel): a wake-up caused by another test only makes a waiter check its condition again, and
/// every wake-up is caused by real work, so waiting never spins.
enum Progress {
    static let shared = ProgressSignal()
}

/// Collects outcomes from the outcome handler.
final class OutcomeLog: Sendable {
    private let storage = FerryMutex<[DeliveryOutcome]>([])
    var handler: @Sendable (DeliveryOutcome) -> Void {
        { [self] outcome in
            storage.withLock { $0.append(outcome) }
            Progress.shared.signal()
        }
    }
    var outcomes: [DeliveryOutcome] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}

/// Waits until `condition` holds, for states of the pipeline reached without the clock: the condition is checked
/// again after each ``Progress`` signal, never on a timer, so it must be one that an outcome or a destination call
/// makes true. 60 s of real time without it holding fails the test (a safety net, as long as `drive`'s: the whole
/// suite runs in parallel on few cores, and a task can wait seconds for a thread).
func waitUntil(_ condition: @Sendable () async -> Bool) async {
    let giveUp = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < giveUp {
        let seen = Progress.shared.generation
        if await condition() { return }
        await Progress.shared.wait(after: seen, orSleeperOn: nil, giveUpAt: giveUp)
    }
    Issue.record("the condition did not hold within 60 s")
}

/// Runs `work`, moving `clock` forward by `step` whenever something sleeps on it, until `work` finishes (at most
/// 60 s of real time, so a test that goes wrong fails instead of hanging).
func advancing<T: Sendable>(_ clock: ManualClock, by step: Duration, _ work: @escaping @Sendable () async -> T) async -> T {
    let finished = FerryMutex(false)
    let task = Task {
        let value = await work()
        finished.withLock { $0 = true }
        Progress.shared.signal()
        return value
    }
    let giveUp = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < giveUp {
        let seen = Progress.shared.generation
        if finished.withLock({ $0 }) { break }
        if clock.sleeperCount > 0 {
            clock.advance(by: step)
        } else {
            await Progress.shared.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
        }
    }
    if !finished.withLock({ $0 }) {
        Issue.record("the work did not finish")
        task.cancel()
    }
    return await task.value
}
