import FerryCore

/// A one-way signal for tests: ``wait()`` suspends until ``open()`` is called (at once if it already was), or
/// until the waiting task is cancelled. Waiting suspends on a continuation, so a test waits for an event instead
/// of polling or sleeping.
///
/// ```swift
/// let stored = Latch()
/// let server = try LoopbackHTTPServer { request in
///     defer { stored.open() }
///     return .response(HTTPResponse(status: 201))
/// }
/// // ... start the client ...
/// await stored.wait()
/// ```
public final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = FerryMutex(State())

    /// Creates a closed latch.
    public init() {}

    /// Whether ``open()`` was called.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// How many tasks are waiting now (a test can wait for a waiter to be in place before opening).
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// Opens the latch: resumes every waiter, and later waits return at once.
    public func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Suspends until the latch is open, or the calling task is cancelled (which resumes only this waiter).
    public func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    // Checked under the lock: a cancellation handler that ran before the waiter was stored found
                    // nothing to resume, so the waiter must not be stored after it.
                    if state.isOpen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
