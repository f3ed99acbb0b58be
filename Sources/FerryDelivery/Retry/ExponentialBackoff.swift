/// Exponential backoff with full jitter: the pause before attempt *n+1* is a random duration between zero and
/// `min(cap, base × 2ⁿ⁻¹)`, so many clients recovering from the same outage do not retry in lockstep.
///
/// - An API limit (``Retryability/rateLimited``) waits at least ``limitPause``: Salesforce's limits are rolling
///   allocations, and hammering them only extends the outage.
/// - A `Retry-After` from the server is honoured (the pause is at least that long) up to ``cap``.
/// - At most ``maximumAttempts`` attempts in all (default 8), and never past the optional ``deadline``
///   measured from the first attempt.
public struct ExponentialBackoff: RetryPolicy {
    /// The upper bound of the first pause (default 0.5 s).
    public var base: Duration
    /// The longest pause (default 60 s).
    public var cap: Duration
    /// The most attempts an item gets, the first included (default 8).
    public var maximumAttempts: Int
    /// The shortest pause after an API-limit failure (default 30 s, capped by ``cap``).
    public var limitPause: Duration
    /// The longest an item may keep being retried, from its first attempt; `nil` for no limit.
    public var deadline: Duration?
    /// Returns a random number in `0..<1`; injectable so tests are repeatable.
    public var random: @Sendable () -> Double

    /// Creates the policy.
    /// - Parameters:
    ///   - base: The upper bound of the first pause (default 0.5 s).
    ///   - cap: The longest pause (default 60 s).
    ///   - maximumAttempts: The most attempts in all (default 8).
    ///   - limitPause: The shortest pause after an API-limit failure (default 30 s).
    ///   - deadline: The longest an item may keep being retried; `nil` for no limit.
    ///   - random: A source of random numbers in `0..<1`.
    public init(
        base: Duration = .milliseconds(500),
        cap: Duration = .seconds(60),
        maximumAttempts: Int = 8,
        limitPause: Duration = .seconds(30),
        deadline: Duration? = nil,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.cap = cap
        self.maximumAttempts = maximumAttempts
        self.limitPause = limitPause
        self.deadline = deadline
        self.random = random
    }

    /// The jittered pause, or `nil` when the attempts or the deadline are used up.
    /// - Parameters:
    ///   - attempt: Attempts made so far.
    ///   - retryability: How the last failure was judged.
    ///   - retryAfter: The server's `Retry-After`, if any.
    ///   - elapsed: Time since the first attempt.
    /// - Returns: The pause, or `nil` to give up.
    public func delay(afterAttempt attempt: Int, retryability: Retryability, retryAfter: Duration?, elapsed: Duration)
        -> Duration?
    {
        guard retryability.canRetry, attempt < maximumAttempts else { return nil }
        let exponent = min(max(attempt - 1, 0), 40)
        let ceiling = min(cap, base * Double(1 << exponent))
        var pause = ceiling * min(max(random(), 0), 1)
        if retryability == .rateLimited { pause = max(pause, min(limitPause, cap)) }
        if let retryAfter { pause = max(pause, min(retryAfter, cap)) }
        if let deadline, elapsed + pause > deadline { return nil }
        return pause
    }
}

extension RetryPolicy where Self == ExponentialBackoff {
    /// The default policy: base 0.5 s, cap 60 s, 8 attempts, full jitter.
    public static var exponentialBackoff: ExponentialBackoff { ExponentialBackoff() }
}

/// A policy that never retries: every failure is final after one attempt.
public struct NoRetries: RetryPolicy {
    /// Creates the policy.
    public init() {}

    /// Always `nil`.
    /// - Parameters:
    ///   - attempt: Ignored.
    ///   - retryability: Ignored.
    ///   - retryAfter: Ignored.
    ///   - elapsed: Ignored.
    /// - Returns: `nil`.
    public func delay(afterAttempt attempt: Int, retryability: Retryability, retryAfter: Duration?, elapsed: Duration)
        -> Duration?
    {
        nil
    }
}
