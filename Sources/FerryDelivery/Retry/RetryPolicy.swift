/// Decides whether, and after how long, a failed item is attempted again.
///
/// The pipeline asks after every failed attempt that could be retried. Host applications can supply their own
/// policy; ``ExponentialBackoff`` is the default.
public protocol RetryPolicy: Sendable {
    /// The pause before the next attempt, or `nil` to give up.
    /// - Parameters:
    ///   - attempt: The number of attempts made so far (1 after the first failure).
    ///   - retryability: How the last failure was judged; never ``Retryability/final`` (those are not retried).
    ///   - retryAfter: The pause the server asked for in a `Retry-After` header, if any.
    ///   - elapsed: Time since the item's first attempt.
    /// - Returns: How long to wait before the next attempt, or `nil` to stop retrying.
    func delay(afterAttempt attempt: Int, retryability: Retryability, retryAfter: Duration?, elapsed: Duration)
        -> Duration?

    /// Checks the policy's settings; ``DeliveryPipeline/Configuration/validate()`` calls it before a pipeline
    /// starts. The default does nothing: implement it when your policy has settings that can be wrong.
    /// - Throws: ``ConfigurationError`` naming the setting, why it is wrong and what to do.
    func validate() throws(ConfigurationError)
}

extension RetryPolicy {
    /// Accepts any policy: one without settings cannot be wrong.
    public func validate() throws(ConfigurationError) {}
}
