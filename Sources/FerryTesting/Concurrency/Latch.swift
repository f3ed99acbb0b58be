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
    /// A latch is a wake signal that is signalled at most once that matters: open means signalled since creation.
    private let signal = WakeSignal()

    /// Creates a closed latch.
    public init() {}

    /// Whether ``open()`` was called.
    public var isOpen: Bool { signal.generation != 0 }

    /// How many tasks are waiting now (a test can wait for a waiter to be in place before opening).
    public var waiting: Int { signal.waiting }

    /// Opens the latch: resumes every waiter, and later waits return at once.
    public func open() {
        signal.signal()
    }

    /// Suspends until the latch is open, or the calling task is cancelled (which resumes only this waiter).
    public func wait() async {
        await signal.wait(after: 0)
    }
}
