import Foundation

/// A token-bucket rate limit: on average `rate` requests per second, with bursts of up to `burst`.
///
/// A plain value driven by the caller's clock: ``reserve(at:)`` takes a token and says how long to wait for it,
/// so the limiter itself never sleeps and is testable alone.
public struct TokenBucket: Sendable, Hashable {
    /// Requests per second on average.
    public let rate: Double
    /// The most requests sent back to back.
    public let burst: Double
    private var tokens: Double
    private var updated: Date?

    /// Creates a full bucket.
    /// - Parameters:
    ///   - rate: Requests per second on average (must be positive).
    ///   - burst: The most requests back to back (default: one second's worth, at least 1).
    public init(rate: Double, burst: Double? = nil) {
        self.rate = max(rate, .leastNonzeroMagnitude)
        self.burst = max(burst ?? rate, 1)
        tokens = self.burst
    }

    /// Takes one token at `now` and returns how long the caller must wait before sending (zero when a token was
    /// available). Tokens taken ahead of time are owed, so concurrent callers queue up fairly.
    /// - Parameter now: The current time.
    /// - Returns: The wait before sending.
    public mutating func reserve(at now: Date) -> Duration {
        if let updated {
            let elapsed = max(0, now.timeIntervalSince(updated))
            tokens = min(burst, tokens + elapsed * rate)
        }
        updated = now
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .seconds(-tokens / rate)
    }
}
