import FerryCore

/// What a ``SimulatedSalesforceOrg`` has seen, for assertions.
public struct SimulatedOrgCounters: Sendable, Hashable, CustomStringConvertible {
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
    public func calls(_ method: HTTPMethod, _ path: String) -> Int { callsByPath["\(method) \(path)"] ?? 0 }

    /// One line for a person: `2 token requests (2 issued), 14 API calls (14 counted, 1 refused for the
    /// session), 4 faults (SERVER_UNAVAILABLE 4)`.
    public var description: String {
        var text = "\(tokenRequests) token request\(tokenRequests == 1 ? "" : "s") (\(tokensIssued) issued), "
        text += "\(apiCalls) API call\(apiCalls == 1 ? "" : "s") (\(apiUsage) counted"
        if sessionsRefused > 0 { text += ", \(sessionsRefused) refused for the session" }
        text += "), \(faultsInjected) fault\(faultsInjected == 1 ? "" : "s")"
        if !faultsByKind.isEmpty {
            text += " (" + faultsByKind.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
        }
        return text
    }
}
