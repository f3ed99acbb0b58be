/// Exponential backoff with full jitter: the pause before attempt *n+1* is a random duration between zero and
/// `min(cap, base × 2ⁿ⁻¹)`, so many clients recovering from the same outage do not retry in lockstep.
///
/// - An API limit (``Retryability/rateLimited``) waits at least ``limitPause``: Salesforce's limits are rolling
///   allocations, and hammering them only extends the outage.
/// - A `Retry-After` from the server is honoured (the pause is at least that long) up to ``cap``.
/// - At most ``maximumAttempts`` attempts in all (default 8), and never past the optional ``deadline``
///   measured from the first attempt.
public struct ExponentialBackoff: RetryPolicy {
    /// The upper bound of the first pause (default 0.5 s; at least 1 ms: see ``validate()``).
    public var base: Duration
    /// The longest pause (at least ``base``). Unless set, it follows ``base``: the longer of ``defaultCap`` and
    /// ``base``, so changing the base alone never makes the policy inconsistent. A value set explicitly is kept as
    /// set (and checked).
    public var cap: Duration {
        get { explicitCap ?? max(Self.defaultCap, base) }
        set { explicitCap = newValue }
    }
    /// The caller's ``cap``; `nil` while it follows ``base``.
    private var explicitCap: Duration?

    /// The ``cap`` when none is set and ``base`` is shorter: 60 s.
    public static let defaultCap: Duration = .seconds(60)
    /// The most attempts an item gets, the first included (default 8; at least 1: zero is an error, not one).
    public var maximumAttempts: Int
    /// The shortest pause after an API-limit failure (default 30 s, capped by ``cap``; zero or more).
    public var limitPause: Duration
    /// The longest an item may keep being retried, from its first attempt; `nil` for no limit (at least 1 ms
    /// when set).
    public var deadline: Duration?
    /// Returns a random number in `0..<1`; injectable so tests are repeatable.
    public var random: @Sendable () -> Double

    /// Creates the policy.
    /// - Parameters:
    ///   - base: The upper bound of the first pause (default 0.5 s).
    ///   - cap: The longest pause; `nil` (the default) follows `base`: 60 s, or `base` when that is longer.
    ///   - maximumAttempts: The most attempts in all (default 8).
    ///   - limitPause: The shortest pause after an API-limit failure (default 30 s).
    ///   - deadline: The longest an item may keep being retried; `nil` for no limit.
    ///   - random: A source of random numbers in `0..<1`.
    public init(
        base: Duration = .milliseconds(500),
        cap: Duration? = nil,
        maximumAttempts: Int = 8,
        limitPause: Duration = .seconds(30),
        deadline: Duration? = nil,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.base = base
        self.explicitCap = cap
        self.maximumAttempts = maximumAttempts
        self.limitPause = limitPause
        self.deadline = deadline
        self.random = random
    }

    /// The shortest ``base``, and the shortest ``deadline``: 1 ms. A base of zero would retry at once, again and
    /// again, against an org that just failed.
    public static let minimumBase: Duration = .milliseconds(1)

    /// Checks the settings: ``maximumAttempts`` at least 1 (0 used to behave as 1), ``base`` at least
    /// ``minimumBase``, ``cap`` not below ``base``, ``limitPause`` zero or more, ``deadline`` (when set) at least
    /// ``minimumBase``. ``DeliveryPipeline/Configuration/validate()`` calls it before a pipeline starts.
    /// - Throws: ``ConfigurationError`` naming the setting (`retryPolicy.maximumAttempts`, ...), why it is wrong
    ///   and what to do.
    public func validate() throws(ConfigurationError) {
        guard maximumAttempts > 0 else {
            throw ConfigurationError.notPositive(
                "retryPolicy.maximumAttempts", value: String(maximumAttempts),
                meaning: "the most attempts an item gets, the first included; 1 means no retries")
        }
        try ConfigurationError.check(
            base, atLeast: Self.minimumBase, "retryPolicy.base", meaning: "the upper bound of the first retry pause",
            reason: "zero would retry at once, again and again, against an org that just failed")
        guard cap >= base else {
            throw ConfigurationError.inconsistent(
                "retryPolicy.cap",
                "retryPolicy.cap (\(cap)) must not be shorter than retryPolicy.base (\(base)): the cap bounds every "
                    + "pause, so a lower cap would override the base; raise cap or lower base")
        }
        try ConfigurationError.check(
            notNegative: limitPause, "retryPolicy.limitPause", meaning: "the shortest pause after an API-limit failure")
        if let deadline {
            try ConfigurationError.check(
                deadline, atLeast: Self.minimumBase, "retryPolicy.deadline",
                meaning: "the longest an item may keep being retried",
                reason: "a shorter deadline would end every retry before it starts; use NoRetries for that")
        }
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
