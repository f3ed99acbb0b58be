/// A failure a ``SimulatedSalesforceOrg`` injects into an API call, answered in Salesforce's exact shape.
///
/// Faults that end a call (all but ``latency(_:)``) are checked after the session and the daily limit, so a
/// faulted call still counts against the API allocation, as on a real org.
public struct SimulatedFault: Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case serverUnavailable
        case unableToLockRow
        case concurrentFirstInsert
        case requestLimitExceeded
        case concurrentRequestLimit
        case internalErrorAfterWrite
        case malformedReply
        case latency(Duration)
        case revokeSessions
        case redirect
        case truncatedBody(chunked: Bool)
        case oversizedReply(bytes: Int, chunked: Bool)
    }
    let code: Code

    /// HTTP 503 `[{"errorCode":"SERVER_UNAVAILABLE",...}]`; nothing is written.
    public static let serverUnavailable = SimulatedFault(code: .serverUnavailable)

    /// A row lock, as a DML statement meets it: an sObject call answers 400 `UNABLE_TO_LOCK_ROW`, a collections
    /// call 200 with every record failed with it, and inside an Apex REST class the class's insert or upsert
    /// throws it (the seed's class then answers `"Error: ..."`, a generated class 503). Nothing is written.
    public static let unableToLockRow = SimulatedFault(code: .unableToLockRow)

    /// Inside an Apex REST class, another request with the same external-ID value (the same `Idempotency-Key`)
    /// runs its first insert a moment before this one: the class's upsert finds no record, then its insert fails
    /// with `DUPLICATE_VALUE` on the unique field, while the other request's record is stored. A generated class
    /// retries as an update; a class that does not answers 400 for a delivery that was stored.
    public static let concurrentFirstInsert = SimulatedFault(code: .concurrentFirstInsert)

    /// HTTP 403 `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]`; nothing is
    /// written.
    public static let requestLimitExceeded = SimulatedFault(code: .requestLimitExceeded)

    /// HTTP 403 `REQUEST_LIMIT_EXCEEDED` for too many long-running requests at once
    /// ("ConcurrentPerOrgLongTxn Limit exceeded ..."); nothing is written.
    public static let concurrentRequestLimit = SimulatedFault(code: .concurrentRequestLimit)

    /// The call runs and writes its records, then the answer is HTTP 500 `UNKNOWN_EXCEPTION`: a client that
    /// retries without idempotency writes the records twice.
    public static let internalErrorAfterWrite = SimulatedFault(code: .internalErrorAfterWrite)

    /// The call runs and writes its records, then the body is cut in half, so it is not valid JSON.
    public static let malformedReply = SimulatedFault(code: .malformedReply)

    /// Every session issued so far ends at this call (as an admin's "revoke all", a password reset or an org-wide
    /// session timeout does mid-run), and the call answers 401 `INVALID_SESSION_ID`; nothing is written. Tokens
    /// issued afterwards work.
    public static let revokeSessions = SimulatedFault(code: .revokeSessions)

    /// HTTP 302 Found with `Location: https://login.salesforce.com/...` (what a call to the wrong host, or a
    /// Lightning URL, gets); nothing is written.
    public static let redirect = SimulatedFault(code: .redirect)

    /// The call runs and writes its records, then the reply is cut off mid-body: over
    /// ``SimulatedSalesforceOrg/serveOnLoopback()`` the server announces the full `Content-Length` (or, with
    /// `chunked`, sends `Transfer-Encoding: chunked` without the final chunk), sends half the body and closes the
    /// connection. In process, ``SimulatedSalesforceOrg/send(_:)`` throws `TransportError` `.connectionLost`, as
    /// `URLSessionTransport` reports such a reply.
    /// - Parameter chunked: Whether the reply is chunked (default `false`: a `Content-Length` reply).
    /// - Returns: The fault.
    public static func truncatedBody(chunked: Bool = false) -> SimulatedFault {
        SimulatedFault(code: .truncatedBody(chunked: chunked))
    }

    /// The call runs and writes its records, then the reply is padded with trailing spaces (still valid JSON) to
    /// `bytes` bytes, e.g. 50 MB: a transport must refuse it rather than buffer it. Over loopback the size is
    /// announced in `Content-Length`, or with `chunked` only discovered while reading.
    /// - Parameters:
    ///   - bytes: The size of the reply body.
    ///   - chunked: Whether the reply is chunked (default `false`).
    /// - Returns: The fault.
    public static func oversizedReply(bytes: Int, chunked: Bool = false) -> SimulatedFault {
        SimulatedFault(code: .oversizedReply(bytes: max(0, bytes), chunked: chunked))
    }

    /// The answer is delayed by `duration` on the org's clock (with a `ManualClock`, until the test advances it).
    /// Latency adds to whatever else the call meets.
    /// - Parameter duration: The delay.
    /// - Returns: The fault.
    public static func latency(_ duration: Duration) -> SimulatedFault { SimulatedFault(code: .latency(duration)) }

    /// A short name, used in counters: `SERVER_UNAVAILABLE`, `UNABLE_TO_LOCK_ROW`, `CONCURRENT_FIRST_INSERT`,
    /// `REQUEST_LIMIT_EXCEEDED`,
    /// `CONCURRENT_REQUEST_LIMIT`, `INTERNAL_ERROR_AFTER_WRITE`, `MALFORMED_REPLY`, `LATENCY`, `REVOKE_SESSIONS`,
    /// `REDIRECT`, `TRUNCATED_BODY` or `OVERSIZED_REPLY`.
    public var description: String {
        switch code {
        case .serverUnavailable: "SERVER_UNAVAILABLE"
        case .unableToLockRow: "UNABLE_TO_LOCK_ROW"
        case .concurrentFirstInsert: "CONCURRENT_FIRST_INSERT"
        case .requestLimitExceeded: "REQUEST_LIMIT_EXCEEDED"
        case .concurrentRequestLimit: "CONCURRENT_REQUEST_LIMIT"
        case .internalErrorAfterWrite: "INTERNAL_ERROR_AFTER_WRITE"
        case .malformedReply: "MALFORMED_REPLY"
        case .latency: "LATENCY"
        case .revokeSessions: "REVOKE_SESSIONS"
        case .redirect: "REDIRECT"
        case .truncatedBody: "TRUNCATED_BODY"
        case .oversizedReply: "OVERSIZED_REPLY"
        }
    }
}
