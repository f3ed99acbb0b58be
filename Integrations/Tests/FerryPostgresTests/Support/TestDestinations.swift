import FerryCore
import FerryDelivery
import Foundation
import Synchronization

/// Counts deliveries per item id and per instance, shared by the destinations of several pipelines.
final class DeliveryLedger: Sendable {
    private let state = Mutex<(perID: [String: Int], perInstance: [Int: Int])>(([:], [:]))

    func record(_ ids: [String], instance: Int) {
        state.withLock { state in
            for id in ids { state.perID[id, default: 0] += 1 }
            state.perInstance[instance, default: 0] += ids.count
        }
    }

    var perID: [String: Int] { state.withLock { $0.perID } }
    var perInstance: [Int: Int] { state.withLock { $0.perInstance } }
    var total: Int { state.withLock { $0.perInstance.values.reduce(0, +) } }
}

/// An in-process destination that delivers at once and records what it delivered in a ledger. Items whose payload
/// has `"fail": "final"` fail for good; `"fail": "flaky"` fails (transiently) on the first attempt only.
struct LedgerDestination: Destination {
    let ledger: DeliveryLedger
    let instance: Int
    var maximumBatchSize: Int = 1
    /// When set, every request waits at it first.
    var gate: Gate?

    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        if let gate { await gate.wait() }
        var delivered: [String] = []
        let results = batch.map { item -> DeliveryAttemptResult in
            switch (try? item.payload.value)?["fail"]?.stringValue {
            case "final":
                return .failed(DeliveryFailure(status: 400, errorCode: "REQUIRED_FIELD_MISSING",
                                               message: "Required fields are missing: [Name]", retryability: .final))
            case "flaky" where item.attempts == 1:
                return .failed(DeliveryFailure(status: 503, errorCode: "SERVER_UNAVAILABLE",
                                               message: "try again", retryability: .transient))
            default:
                delivered.append(item.id)
                return .delivered(DeliveryReceipt(status: 201, salesforceID: "a0B\(item.id)", created: true))
            }
        }
        ledger.record(delivered, instance: instance)
        return results
    }
}

/// A transport that must not be called: the test destinations answer in process.
struct UnusedTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw TransportError(.other, url: request.url.absoluteString, detail: "the test transport is not used")
    }
}

/// Waits (on the real clock: the server's work takes real time) until `condition` holds.
func waitUntil(timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Holds every caller of ``wait()`` until ``open()``: an instance that hangs mid-request.
final class Gate: Sendable {
    private let state = Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>], arrivals: Int)>((false, [], 0))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let proceed = state.withLock { state -> Bool in
                state.arrivals += 1
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var arrivals: Int { state.withLock { $0.arrivals } }
}

/// A destination that hangs at the gate, then fails every item transiently: an instance that froze mid-request
/// and comes back to reschedule items it no longer holds.
struct HangingDestination: Destination {
    let gate: Gate
    var maximumBatchSize: Int { 1 }

    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        await gate.wait()
        return batch.map { _ in
            .failed(DeliveryFailure(status: 503, errorCode: "SERVER_UNAVAILABLE", message: "late", retryability: .transient))
        }
    }
}
