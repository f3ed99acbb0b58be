import Foundation
import FerryCore

/// Shares one token among every caller and refreshes it before it expires, so no delivery waits or fails for a
/// token at rollover.
///
/// - **Single flight**: any number of concurrent ``token()`` calls cause one fetch.
/// - **Background refresh**: inside the soft window before expiry (``TokenCachePolicy``) the current token is
///   still returned at once while one refresh runs.
/// - **Failures are not cached**: the next call after ``TokenCachePolicy/minimumRetryInterval`` tries again;
///   sooner calls get the last error at once, so a broken configuration cannot hammer the token endpoint.
/// - **Cancellation**: a cancelled caller stops waiting and gets `CancellationError`; the shared fetch goes on
///   for the others (it runs in its own task).
/// - ``invalidate(_:)`` discards the token only if it is still the cached one.
///
/// All time is read from the injected ``/FerryCore/FerryClock``.
public actor CachingTokenProvider: TokenProvider {
    private var machine: TokenCacheStateMachine
    private var waiters: [UInt64: CheckedContinuation<AccessToken, any Error>] = [:]
    private var nextWaiterID: UInt64 = 0
    private var fetchCount = 0
    private let fetch: @Sendable () async throws -> AccessToken
    private let clock: any FerryClock
    private let onEvent: AuthEventHandler?

    /// A label for events, e.g. the token endpoint's host.
    public nonisolated let label: String
    /// Every event this cache emits (also passed to the `onEvent` handler given at creation): subscribe to count
    /// fetches. Each fetch ends in exactly one ``AuthEvent/Kind/tokenFetched``,
    /// ``AuthEvent/Kind/tokenRefreshedInBackground`` or ``AuthEvent/Kind/fetchFailed``.
    public nonisolated let source = AuthEventSource()
    /// The cache's ``source``.
    public nonisolated var events: AuthEventSource? { source }

    /// Creates a cache around `fetch`, which obtains a fresh token.
    /// - Parameters:
    ///   - label: A name for events (default `"custom"`).
    ///   - policy: When to refresh, stop using a token, and retry (default ``TokenCachePolicy/default``).
    ///   - clock: The clock for every time read (default the system clock).
    ///   - onEvent: Receives ``AuthEvent``s (default none).
    ///   - fetch: Obtains a new token; called by one task at a time.
    public init(
        label: String = "custom", policy: TokenCachePolicy = .default, clock: any FerryClock = SystemClock(),
        onEvent: AuthEventHandler? = nil, fetch: @escaping @Sendable () async throws -> AccessToken
    ) {
        self.label = label
        self.machine = TokenCacheStateMachine(policy: policy)
        self.clock = clock
        self.onEvent = onEvent
        self.fetch = fetch
    }

    /// Creates a cache in front of another provider (its ``TokenProvider/token()`` becomes the fetch).
    /// - Parameters:
    ///   - provider: The provider to cache.
    ///   - label: A name for events.
    ///   - policy: The cache policy.
    ///   - clock: The clock.
    ///   - onEvent: Receives ``AuthEvent``s.
    public init(
        caching provider: some TokenProvider, label: String = "custom", policy: TokenCachePolicy = .default,
        clock: any FerryClock = SystemClock(), onEvent: AuthEventHandler? = nil
    ) {
        self.init(label: label, policy: policy, clock: clock, onEvent: onEvent) { try await provider.token() }
    }

    /// How many fetches have started since creation (for diagnostics and tests).
    public var fetchesStarted: Int { fetchCount }

    /// The cached token, or a fresh one when none is usable.
    /// - Returns: A token that is not within the hard margin of its expiry.
    /// - Throws: The fetch's error (an ``AuthError`` for Ferry's providers), or `CancellationError` when the
    ///   calling task is cancelled while waiting.
    public func token() async throws -> AccessToken {
        try Task.checkCancellation()
        switch machine.tokenRequested(now: clock.now) {
        case .use(let token):
            return token
        case .useAndRefresh(let token):
            startFetch(inBackground: true)
            return token
        case .fail(let error):
            throw error
        case .fetchAndWait:
            startFetch(inBackground: false)
            return try await waitForFetch()
        case .wait:
            return try await waitForFetch()
        }
    }

    /// Discards the cached token if it is `token`; a refused token that was already replaced changes nothing.
    /// - Parameter token: The token the server refused.
    public func invalidate(_ token: AccessToken) async {
        guard machine.invalidate(token) else { return }
        emit(AuthEvent(kind: .tokenInvalidated, provider: label, date: clock.now))
    }

    private func waitForFetch() async throws -> AccessToken {
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AccessToken, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    private func startFetch(inBackground: Bool) {
        fetchCount += 1
        let fetch = self.fetch
        // An unstructured task: cancelling any caller never cancels the fetch the others wait for.
        Task {
            let result: Result<AccessToken, any Error>
            do {
                result = .success(try await fetch())
            } catch {
                result = .failure(error)
            }
            self.fetchFinished(result, inBackground: inBackground)
        }
    }

    private func fetchFinished(_ result: Result<AccessToken, any Error>, inBackground: Bool) {
        let now = clock.now
        let resumed = waiters
        waiters = [:]
        switch result {
        case .success(let token):
            machine.fetchSucceeded(token, now: now)
            let kind: AuthEvent.Kind = inBackground ? .tokenRefreshedInBackground : .tokenFetched
            emit(AuthEvent(kind: kind, provider: label, date: now, expiresAt: token.expiresAt))
            for continuation in resumed.values { continuation.resume(returning: token) }
        case .failure(let error):
            machine.fetchFailed(error, now: now)
            emit(
                AuthEvent(
                    kind: .fetchFailed, provider: label, date: now, inBackground: inBackground,
                    detail: String(describing: error)))
            for continuation in resumed.values { continuation.resume(throwing: error) }
        }
    }

    private func emit(_ event: AuthEvent) {
        onEvent?(event)
        source.publish(event)
    }
}
