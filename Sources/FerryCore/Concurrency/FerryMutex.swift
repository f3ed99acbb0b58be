import Synchronization

/// A lock around a value, like `Synchronization.Mutex`, that the thread sanitizer understands.
///
/// On Linux, `Mutex` waits through futex calls made inside the standard library, which the sanitizer does not
/// instrument: a `swift test --sanitize=thread` run then sees the accesses a mutex protects but not the lock that
/// orders them, and reports races that cannot happen. Under the sanitizer, `FerryMutex` tells it of every
/// acquisition and release through the sanitizer's public annotation interface; in an ordinary process that costs
/// one predictable branch.
///
/// ```swift
/// let counter = FerryMutex(0)
/// counter.withLock { $0 += 1 }
/// ```
public struct FerryMutex<Value: ~Copyable>: ~Copyable {
    @usableFromInline let storage: Mutex<Value>
    /// The address the sanitizer knows this lock by: any stable address unique to the lock will do.
    @usableFromInline let identity: ThreadSanitizer.SyncIdentity

    /// Creates a lock holding `initialValue`.
    /// - Parameter initialValue: The protected value.
    public init(_ initialValue: consuming sending Value) {
        storage = Mutex(initialValue)
        identity = ThreadSanitizer.SyncIdentity()
    }

    /// Runs `body` with exclusive access to the value. Keep it short and never suspend inside it.
    /// - Parameter body: Reads or changes the value.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws; the lock is released either way.
    @inlinable
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        let identity = self.identity
        return try storage.withLock { (value: inout sending Value) throws(E) -> sending Result in
            guard let sanitizer = ThreadSanitizer.annotations else { return try body(&value) }
            let address = identity.address
            sanitizer.acquire(address)
            defer { sanitizer.release(address) }
            return try body(&value)
        }
    }
}

extension FerryMutex: Sendable where Value: ~Copyable {}
