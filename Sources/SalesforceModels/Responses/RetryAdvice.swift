/// What a client should do after a Salesforce error: whether sending the same request again can help.
public struct RetryAdvice: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable { case retry, retryAfterLongerPause, refreshTokenAndReplayOnce, final }
    let code: Code

    /// A transient problem (`UNABLE_TO_LOCK_ROW`, `SERVER_UNAVAILABLE`): retry with the usual backoff.
    public static let retry = RetryAdvice(code: .retry)
    /// A limit was hit (`REQUEST_LIMIT_EXCEEDED`): retry, but only after a much longer pause (minutes).
    public static let retryAfterLongerPause = RetryAdvice(code: .retryAfterLongerPause)
    /// The access token expired or was revoked (`INVALID_SESSION_ID`): fetch a new token and replay once.
    public static let refreshTokenAndReplayOnce = RetryAdvice(code: .refreshTokenAndReplayOnce)
    /// The request itself is wrong (missing field, bad value, no access): sending it again fails again.
    public static let final = RetryAdvice(code: .final)

    /// Whether any kind of resend can help.
    public var canRetry: Bool { code != .final }

    /// `"retry"`, `"retryAfterLongerPause"`, `"refreshTokenAndReplayOnce"` or `"final"`.
    public var description: String { code.rawValue }

    /// The advice for a response whose error code is unknown or missing, from its HTTP status alone.
    /// - Parameter status: The HTTP status.
    /// - Returns: `.refreshTokenAndReplayOnce` for 401, `.retry` for 420, 502, 503 and 504 (Salesforce's edge and
    ///   maintenance), `.final` otherwise.
    public static func forStatus(_ status: Int) -> RetryAdvice {
        switch status {
        case 401: .refreshTokenAndReplayOnce
        case 420, 502, 503, 504: .retry
        default: .final
        }
    }
}
