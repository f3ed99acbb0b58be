import FerryCore

/// Fans a token provider's ``AuthEvent``s out to every subscriber, so whoever needs to count token fetches
/// (a delivery pipeline's report, the `ferry send` summary, a metrics bridge) hears them from the provider that
/// made them instead of guessing.
///
/// Providers that cache (``CachingTokenProvider`` and every provider built on it) publish here; reach it through
/// ``TokenProvider/events``:
///
/// ```swift
/// let fetches = FerryMutex(0)
/// let subscription = provider.events?.subscribe { event in
///     if event.kind == .tokenFetched { fetches.withLock { $0 += 1 } }
/// }
/// // ... keep `subscription` while you want the events; dropping it (or `cancel()`) ends them.
/// ```
///
/// Handlers run synchronously on the task that published, in the order they subscribed: keep them quick.
public final class AuthEventSource: Sendable {
    private struct State {
        var nextID = 0
        var handlers: [(id: Int, handler: AuthEventHandler)] = []
    }

    private let state = FerryMutex(State())

    /// Creates a source with no subscribers.
    public init() {}

    /// Calls `handler` with every event published from now on, until the returned subscription is cancelled or
    /// released.
    /// - Parameter handler: Receives each event, synchronously.
    /// - Returns: The subscription: keep it as long as you want the events.
    public func subscribe(_ handler: @escaping AuthEventHandler) -> AuthEventSubscription {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.handlers.append((state.nextID, handler))
            return state.nextID
        }
        return AuthEventSubscription { [weak self] in
            self?.state.withLock { state in state.handlers.removeAll { $0.id == id } }
        }
    }

    /// Sends `event` to every subscriber.
    /// - Parameter event: The event.
    public func publish(_ event: AuthEvent) {
        let handlers = state.withLock { $0.handlers.map(\.handler) }
        for handler in handlers { handler(event) }
    }

    /// How many subscriptions are active (for tests and diagnostics).
    public var subscriberCount: Int { state.withLock { $0.handlers.count } }
}

/// A subscription to an ``AuthEventSource``: events reach its handler until ``cancel()`` or until the last
/// reference to it goes away.
public final class AuthEventSubscription: Sendable {
    private let onCancel: FerryMutex<(@Sendable () -> Void)?>

    init(onCancel: @escaping @Sendable () -> Void) {
        self.onCancel = FerryMutex(onCancel)
    }

    /// Stops the events; calling it again does nothing.
    public func cancel() {
        let action = onCancel.withLock { action -> (@Sendable () -> Void)? in
            defer { action = nil }
            return action
        }
        action?()
    }

    deinit { cancel() }
}
