import FerryCore

/// What the connection under a pipeline saw, for the report's counters and the events. Never carries a token.
public enum ConnectionObservation: Sendable, Hashable {
    /// The remote end answered a request (for Salesforce, every answer counts against the org's API allocation).
    case response(status: Int, headers: HTTPHeaders)
    /// The connection's token source fetched a new token (for Salesforce, the token provider's own
    /// `tokenFetched` or `tokenRefreshedInBackground` event): counted in the report's `tokenRequests`.
    case tokenFetched
    /// The remote end refused the token with HTTP 401; the request is replayed once with a new token.
    case sessionExpired
}
