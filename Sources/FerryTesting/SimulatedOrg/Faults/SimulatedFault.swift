/// A failure a ``SimulatedSalesforceOrg`` injects into an API call, answered in Salesforce's exact shape.
///
/// Faults that end a call (all but ``latency(_:)``) are checked after the session and the daily limit, so a
/// faulted call still counts against the API allocation, as on a real org.
public struct SimulatedFault: Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case serverUnavailable
        case unableToLockRow
        case requestLimitExceeded
        case concurrentRequestLimit
        case internalErrorAfterWrite
        case malformedReply
        case latency(Duration)
    }
    let code: Code

    /// HTTP 503 `[{"errorCode":"SERVER_UNAVAILABLE",...}]`; nothing is written.
    public static let serverUnavailable = SimulatedFault(code: .serverUnavailable)

    /// A row lock, as a DML statement meets it: an sObject call answers 400 `UNABLE_TO_LOCK_ROW`, a collections
    /// call 200 with every record failed with it, and inside an Apex REST class the class's insert or upsert
    /// throws it (the seed's class then answers `"Error: ..."`, a generated class 503). Nothing is written.
    public static let unableToLockRow = SimulatedFault(code: .unableToLockRow)

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

    /// The answer is delayed by `duration` on the org's clock (with a `ManualClock`, until the test advances it).
    /// Latency adds to whatever else the call meets.
    /// - Parameter duration: The delay.
    /// - Returns: The fault.
    public static func latency(_ duration: Duration) -> SimulatedFault { SimulatedFault(code: .latency(duration)) }

    /// A short name, used in counters: `SERVER_UNAVAILABLE`, `UNABLE_TO_LOCK_ROW`, `REQUEST_LIMIT_EXCEEDED`,
    /// `CONCURRENT_REQUEST_LIMIT`, `INTERNAL_ERROR_AFTER_WRITE`, `MALFORMED_REPLY` or `LATENCY`.
    public var description: String {
        switch code {
        case .serverUnavailable: "SERVER_UNAVAILABLE"
        case .unableToLockRow: "UNABLE_TO_LOCK_ROW"
        case .requestLimitExceeded: "REQUEST_LIMIT_EXCEEDED"
        case .concurrentRequestLimit: "CONCURRENT_REQUEST_LIMIT"
        case .internalErrorAfterWrite: "INTERNAL_ERROR_AFTER_WRITE"
        case .malformedReply: "MALFORMED_REPLY"
        case .latency: "LATENCY"
        }
    }
}
