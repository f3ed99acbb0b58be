/// What a ``SimulatedSalesforceOrg`` has seen, for assertions.
public struct SimulatedOrgCounters: Sendable, Hashable {
    /// Requests to `/services/oauth2/token`, answered or refused.
    public var tokenRequests = 0
    /// Tokens issued.
    public var tokensIssued = 0
    /// Requests to every other path, including those refused with 401.
    public var apiCalls = 0
    /// Calls counted against the daily allocation (the `N` of `api-usage=N/LIMIT`).
    public var apiUsage = 0
    /// Calls refused with 401 `INVALID_SESSION_ID` (no, unknown, revoked or expired token).
    public var sessionsRefused = 0
    /// Faults that ended or delayed a call (token endpoint failures included).
    public var faultsInjected = 0
    /// Faults by ``SimulatedFault/description`` (`SERVER_UNAVAILABLE`, ...; `TOKEN_ENDPOINT` for token failures).
    public var faultsByKind: [String: Int] = [:]
    /// Calls per `"METHOD /path"` (the path without query), token requests included.
    public var callsByPath: [String: Int] = [:]

    /// Creates zeroed counters.
    public init() {}

    /// The calls received for one method and path.
    /// - Parameters:
    ///   - method: The method, e.g. `.post`.
    ///   - path: The path, e.g. `/services/apexrest/CleverTap/InsertNPSFeedback`.
    /// - Returns: How many.
    public func calls(_ method: String, _ path: String) -> Int { callsByPath["\(method) \(path)"] ?? 0 }
}
