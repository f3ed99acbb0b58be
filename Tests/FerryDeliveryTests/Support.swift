import FerryCore
import FerryDelivery
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
/// a deliverer is still working towards an earlier deadline. Between those moments it waits for the work to get
/// there (``settle(_:)``); 60 s of real time without the condition holding fails the test instead of hanging it.
func drive(_ clock: ManualClock, maxSteps: Int = 10_000, until done: @Sendable () async -> Bool) async {
    let giveUp = ContinuousClock.now + .seconds(60)
    var advances = 0
    var waits = 0
    while advances < maxSteps, ContinuousClock.now < giveUp {
        if await done() { return }
        if clock.sleeperCount > 0, let next = clock.nextDeadline {
            clock.advance(to: next)
            advances += 1
            waits = 0
        } else {
            await settle(waits)
            waits += 1
        }
    }
    Issue.record("the condition did not hold after \(advances) clock steps")
}

/// Lets the tasks under test run while a test waits for them: a few yields, then 1 ms of real time, so waiting
/// never spins a core (the whole suite runs in parallel on few cores, beside threads of its own such as loopback
/// servers and a file outbox's writer). The time it waits is not a settling guess: the caller checks a condition
/// after each call.
func settle(_ waits: Int) async {
    if waits % 4 == 3 {
        try? await Task.sleep(for: .milliseconds(1))
    } else {
        await Task.yield()
    }
}

/// Collects outcomes from the outcome handler.
final class OutcomeLog: Sendable {
    private let storage = FerryMutex<[DeliveryOutcome]>([])
    var handler: @Sendable (DeliveryOutcome) -> Void { { [self] outcome in storage.withLock { $0.append(outcome) } } }
    var outcomes: [DeliveryOutcome] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}

/// Waits in real time (1 ms steps, at most 5 s) until `condition` holds, for states reached without the clock.
func poll(_ condition: @Sendable () async -> Bool) async throws {
    for _ in 0..<5000 {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("the condition did not hold within 5 s")
}

/// Runs `work`, moving `clock` forward by `step` whenever something sleeps on it, until `work` finishes (at most
/// 60 s of real time, so a test that goes wrong fails instead of hanging).
func advancing<T: Sendable>(_ clock: ManualClock, by step: Duration, _ work: @escaping @Sendable () async -> T) async -> T {
    let finished = FerryMutex(false)
    let task = Task {
        let value = await work()
        finished.withLock { $0 = true }
        return value
    }
    let giveUp = ContinuousClock.now + .seconds(60)
    var waits = 0
    while !finished.withLock({ $0 }), ContinuousClock.now < giveUp {
        if clock.sleeperCount > 0 {
            clock.advance(by: step)
            waits = 0
        } else {
            await settle(waits)
            waits += 1
        }
    }
    if !finished.withLock({ $0 }) {
        Issue.record("the work did not finish")
        task.cancel()
    }
    return await task.value
}
