/// When a ``CachingTokenProvider`` refreshes its token, stops using it, and retries after a failure.
///
/// For a token living `L` (from issue to expiry):
/// - from `expiry - softWindow` the cached token is still served, and one background refresh runs, so no caller
///   waits at rollover. `softWindow = max(L * softWindowFraction, minimumSoftWindow)`, at most `L / 2`.
/// - from `expiry - hardMargin` the token is not served any more; callers wait for a new one. `hardMargin` is at
///   most `L / 4`, so a short-lived token stays usable.
/// - after a failed fetch, no new attempt starts before `minimumRetryInterval` has passed: meanwhile a caller
///   that has no usable token gets the last error at once, and a still-usable token keeps being served.
public struct TokenCachePolicy: Sendable, Hashable {
    /// The share of a token's lifetime, at its end, during which it is refreshed in the background
    /// (default 0.1: the last 10 %).
    public var softWindowFraction: Double
    /// The shortest soft window (default 60 s).
    public var minimumSoftWindow: Duration
    /// How long before expiry a token stops being served (default 30 s).
    public var hardMargin: Duration
    /// The shortest time between two fetch attempts after a failure (default 5 s).
    public var minimumRetryInterval: Duration

    /// Creates a policy.
    /// - Parameters:
    ///   - softWindowFraction: The share of the lifetime refreshed in the background (default 0.1).
    ///   - minimumSoftWindow: The shortest soft window (default 60 s).
    ///   - hardMargin: How long before expiry a token stops being served (default 30 s).
    ///   - minimumRetryInterval: The shortest time between attempts after a failure (default 5 s).
    public init(
        softWindowFraction: Double = 0.1, minimumSoftWindow: Duration = .seconds(60),
        hardMargin: Duration = .seconds(30), minimumRetryInterval: Duration = .seconds(5)
    ) {
        self.softWindowFraction = softWindowFraction
        self.minimumSoftWindow = minimumSoftWindow
        self.hardMargin = hardMargin
        self.minimumRetryInterval = minimumRetryInterval
    }

    /// The defaults: last 10 % (at least 60 s) soft window, 30 s hard margin, 5 s between failed attempts.
    public static let `default` = TokenCachePolicy()
}
