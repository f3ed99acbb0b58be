import Foundation

/// The decisions of a token cache, as a pure value: given the time and what happened, what to do next.
/// ``CachingTokenProvider`` owns one and carries out its actions (starting the fetch, resuming waiters).
struct TokenCacheStateMachine: Sendable {
    /// A cached token and the times that matter for it.
    struct Entry: Sendable {
        let token: AccessToken
        /// From this time on a background refresh is due (`.distantFuture` when the expiry is unknown).
        let refreshAt: Date
        /// From this time on the token is not served (`.distantFuture` when the expiry is unknown).
        let unusableAt: Date
    }

    enum State: Sendable {
        /// No token and no fetch running.
        case empty
        /// A token and no fetch running.
        case ready(Entry)
        /// A fetch is running; the entry, if any, is the token being replaced (still served while usable).
        case fetching(Entry?)
    }

    /// What ``CachingTokenProvider/token()`` must do.
    enum TokenAction: Sendable {
        /// Return this token.
        case use(AccessToken)
        /// Return this token and start a background refresh.
        case useAndRefresh(AccessToken)
        /// Start a fetch and wait for it.
        case fetchAndWait
        /// Wait for the running fetch.
        case wait
        /// Throw this error: the last fetch failed less than the minimum retry interval ago.
        case fail(any Error)
    }

    private(set) var state: State = .empty
    let policy: TokenCachePolicy
    private var lastFailure: (date: Date, error: any Error)?

    init(policy: TokenCachePolicy) { self.policy = policy }

    /// A caller wants a token at `now`.
    mutating func tokenRequested(now: Date) -> TokenAction {
        switch state {
        case .empty:
            return startFetchUnlessThrottled(now: now)
        case .ready(let entry):
            if now < entry.refreshAt { return .use(entry.token) }
            if now < entry.unusableAt {
                if isThrottled(now: now) { return .use(entry.token) }
                state = .fetching(entry)
                return .useAndRefresh(entry.token)
            }
            // An unusable entry is not kept: nothing can serve it any more.
            return startFetchUnlessThrottled(now: now)
        case .fetching(let entry):
            if let entry, now < entry.unusableAt { return .use(entry.token) }
            return .wait
        }
    }

    /// The running fetch returned `token` at `now`.
    mutating func fetchSucceeded(_ token: AccessToken, now: Date) {
        state = .ready(entry(for: token, receivedAt: now))
        lastFailure = nil
    }

    /// The running fetch failed at `now`. A token that was being replaced stays cached (it may still be usable).
    mutating func fetchFailed(_ error: any Error, now: Date) {
        if case .fetching(let entry?) = state {
            state = .ready(entry)
        } else {
            state = .empty
        }
        lastFailure = (now, error)
    }

    /// The server refused `token`: discards the cached token if it is that one.
    /// - Returns: `true` when a token was discarded.
    mutating func invalidate(_ token: AccessToken) -> Bool {
        switch state {
        case .ready(let entry) where entry.token.value == token.value:
            state = .empty
            return true
        case .fetching(let entry?) where entry.token.value == token.value:
            state = .fetching(nil)
            return true
        default:
            return false
        }
    }

    /// The times at which a token received at `receivedAt` is refreshed and retired.
    func entry(for token: AccessToken, receivedAt: Date) -> Entry {
        guard let expiresAt = token.expiresAt else {
            return Entry(token: token, refreshAt: .distantFuture, unusableAt: .distantFuture)
        }
        // The lifetime is measured from the session's start on the local clock: a server `issued_at` a year
        // behind would otherwise make the soft window (a share of the lifetime) cover the whole session, and every
        // call would start a refresh.
        let start = TokenExpiry.sessionStart(issuedAt: token.issuedAt, receivedAt: receivedAt)
        let lifetime = max(expiresAt.timeIntervalSince(start), 0)
        let soft = min(max(lifetime * policy.softWindowFraction, policy.minimumSoftWindow.seconds), lifetime / 2)
        let hard = min(policy.hardMargin.seconds, lifetime / 4)
        return Entry(
            token: token, refreshAt: expiresAt.addingTimeInterval(-soft),
            unusableAt: expiresAt.addingTimeInterval(-hard))
    }

    private func isThrottled(now: Date) -> Bool {
        guard let lastFailure else { return false }
        return now.timeIntervalSince(lastFailure.date) < policy.minimumRetryInterval.seconds
    }

    private mutating func startFetchUnlessThrottled(now: Date) -> TokenAction {
        if let lastFailure, isThrottled(now: now) { return .fail(lastFailure.error) }
        state = .fetching(nil)
        return .fetchAndWait
    }
}
