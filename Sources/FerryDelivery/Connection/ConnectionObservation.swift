import FerryCore

/// What the connection under a pipeline saw, for the report's counters and the events. Never carries a token.
public enum ConnectionObservation: Sendable, Hashable {
    /// The remote end answered a request (for Salesforce, every answer counts against the org's API allocation).
    case response(status: Int, headers: HTTPHeaders)
    /// A token different from the previous one was used: a token was fetched.
    case newToken
    /// The remote end refused the token with HTTP 401; the request is replayed once with a new token.
    case sessionExpired
}
