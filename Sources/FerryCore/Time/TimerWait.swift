import Dispatch
import Foundation

/// One wait on a Dispatch timer that a cancellation takes down at once.
///
/// `Task.sleep` leaves a cancelled sleep's timer job queued until its deadline passes. A wait that is cancelled far
/// more often than it fires (a lease heartbeat, cancelled when its lease ends, a third of a lease before it would
/// wake) then keeps one queued job, and the task it belonged to, per cancelled wait: at hundreds of leases a second
/// and a 100 s renewal period, tens of thousands. Cancelling this timer releases it and its continuation at once.
final class TimerWait: Sendable {
    private enum State {
        case waiting
        case armed(any DispatchSourceTimer, CheckedContinuation<Void, any Error>)
        case cancelled
        case finished
    }

    private let state = FerryMutex(State.waiting)

    /// Suspends until `seconds` have passed, or throws `CancellationError` when the calling task is cancelled.
    static func wait(seconds: TimeInterval) async throws {
        let wait = TimerWait()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                wait.arm(after: seconds, continuation)
            }
        } onCancel: {
            wait.cancel()
        }
    }

    private func arm(after seconds: TimeInterval, _ continuation: CheckedContinuation<Void, any Error>) {
        let nanoseconds = Int(min(seconds, 365 * 86_400) * 1e9)
        let armed = state.withLock { state -> Bool in
            guard case .waiting = state else { return false }  // cancelled before it was armed
            // Made, armed and started under the lock: the timer never leaves it (a Dispatch source is not
            // Sendable), and the handler takes the same lock, so it cannot run before the state says armed.
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .nanoseconds(nanoseconds))
            timer.setEventHandler { [weak self] in self?.fire() }
            state = .armed(timer, continuation)
            timer.resume()
            return true
        }
        if !armed { continuation.resume(throwing: CancellationError()) }
    }

    private func fire() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard case .armed(let timer, let continuation) = state else { return nil }
            timer.cancel()
            state = .finished
            return continuation
        }
        continuation?.resume()
    }

    private func cancel() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            switch state {
            case .waiting:
                state = .cancelled
                return nil
            case .armed(let timer, let continuation):
                timer.cancel()
                state = .cancelled
                return continuation
            case .cancelled, .finished:
                return nil
            }
        }
        continuation?.resume(throwing: CancellationError())
    }
}
