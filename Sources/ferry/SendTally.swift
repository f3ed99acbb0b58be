import Ferry
import Foundation

/// Accounts for every line of a `ferry send` run: delivered (in this run or an earlier one with the same outbox),
/// failed with its reason, or aborted by the template. Fed by the pipeline's outcome handler, so it sees every
/// outcome exactly once, from any task.
final class SendTally: Sendable {
    /// How one line ended.
    enum State: UInt8, Sendable {
        case open, delivered, deliveredEarlier, failed, aborted
    }

    /// Why one line failed, as the report shows it.
    struct Failure: Sendable {
        let line: Int
        let status: Int?
        let errorCode: DeliveryErrorCode
        let message: String
    }

    private struct Storage {
        /// Indexed by line number; `.open` until the line ends (and for blank lines, which are not counted).
        var states: [State]
        var hashes: [UInt64]
        var failures: [Int: Failure] = [:]
        /// Outcomes for items that are not lines of this input: left in the outbox by a run over another file.
        var foreignDelivered = 0
        var foreignFailed = 0
        var sent = 0
    }

    private let storage: FerryMutex<Storage>

    init(input: SendInput) {
        var hashes = [UInt64](repeating: 0, count: input.lastLineNumber + 1)
        for line in input.lines { hashes[line.number] = line.hash }
        storage = FerryMutex(Storage(states: Array(repeating: .open, count: input.lastLineNumber + 1), hashes: hashes))
    }

    /// The line an item id names, if it is a line of this input (number and content hash both match).
    private static func line(of id: String, sequence: Int?, in storage: Storage) -> Int? {
        guard let number = sequence, number > 0, number < storage.hashes.count,
            id == SendInput.id(line: number, hash: storage.hashes[number])
        else { return nil }
        return number
    }

    /// Records one outcome from the pipeline.
    func record(_ outcome: DeliveryOutcome) {
        storage.withLock { storage in
            guard let number = SendTally.line(of: outcome.itemID, sequence: outcome.sequence, in: storage) else {
                switch outcome.status {
                case .delivered: storage.foreignDelivered += 1
                case .failed: storage.foreignFailed += 1
                case .aborted: break
                }
                return
            }
            switch outcome.status {
            case .delivered:
                storage.states[number] = .delivered
                storage.failures[number] = nil
            case .aborted:
                storage.states[number] = .aborted
            case .failed:
                storage.states[number] = .failed
                let failure = outcome.failure
                storage.failures[number] = Failure(
                    line: number, status: failure?.status, errorCode: failure?.errorCode ?? .unknown,
                    message: failure?.message ?? "the line could not be delivered")
            }
        }
    }

    /// Marks a line an earlier run delivered (the outbox remembers its id).
    func recordDeliveredEarlier(line: Int) {
        storage.withLock { if $0.states[line] == .open { $0.states[line] = .deliveredEarlier } }
    }

    /// Marks a line that failed in an earlier run and sits in the outbox's dead letters.
    func recordFailedEarlier(line: Int, failure: DeliveryFailure) {
        storage.withLock { storage in
            guard storage.states[line] == .open else { return }
            storage.states[line] = .failed
            storage.failures[line] = Failure(
                line: line, status: failure.status, errorCode: failure.errorCode,
                message: "failed in an earlier run with the same outbox (kept in its dead letters): \(failure.message)")
        }
    }

    /// Marks every line that has no outcome as failed with `failure`: the run ended before delivering it.
    func failOpenLines(of input: SendInput, with failure: (Int) -> DeliveryFailure) {
        storage.withLock { storage in
            for line in input.lines where storage.states[line.number] == .open {
                let reason = failure(line.number)
                storage.states[line.number] = .failed
                storage.failures[line.number] = Failure(
                    line: line.number, status: reason.status, errorCode: reason.errorCode, message: reason.message)
            }
        }
    }

    /// Counts a line handed to the pipeline, for the progress line.
    func countSent(_ count: Int = 1) { storage.withLock { $0.sent += count } }

    /// The totals so far.
    struct Totals: Sendable {
        var total = 0
        var delivered = 0
        var deliveredEarlier = 0
        var failed = 0
        var aborted = 0
        var open = 0
        var sent = 0
        var foreignDelivered = 0
        var foreignFailed = 0
        var failures: [Failure] = []
    }

    /// Counts every line of `input` by its state; `failures` sorted by line when `withFailures`.
    func totals(of input: SendInput, withFailures: Bool = true) -> Totals {
        storage.withLock { storage in
            var totals = Totals()
            totals.total = input.lines.count
            for line in input.lines {
                switch storage.states[line.number] {
                case .open: totals.open += 1
                case .delivered: totals.delivered += 1
                case .deliveredEarlier:
                    totals.delivered += 1
                    totals.deliveredEarlier += 1
                case .failed: totals.failed += 1
                case .aborted: totals.aborted += 1
                }
            }
            totals.sent = storage.sent
            totals.foreignDelivered = storage.foreignDelivered
            totals.foreignFailed = storage.foreignFailed
            if withFailures { totals.failures = storage.failures.values.sorted { $0.line < $1.line } }
            return totals
        }
    }
}
