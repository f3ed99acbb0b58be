/// Supplies access tokens to whatever sends requests: the seam between Ferry's delivery code and OAuth.
///
/// A provider is shared by every concurrent delivery. The ones Ferry ships cache their token
/// (``CachingTokenProvider``): one request for any number of callers, a background refresh before expiry.
///
/// ```swift
/// let token = try await provider.token()
/// request.headers["Authorization"] = token.authorizationHeaderValue
/// let response = try await transport.send(request)
/// if response.status == 401 { await provider.invalidate(token) }   // then fetch a new one and replay once
/// ```
public protocol TokenProvider: Sendable {
    /// A token to use now.
    /// - Returns: An access token that is not known to be expired.
    /// - Throws: ``AuthError`` when no token could be obtained, `CancellationError` when the calling task was
    ///   cancelled while waiting (the shared fetch still goes on for other callers).
    func token() async throws -> AccessToken

    /// Reports that the server refused `token` (an HTTP 401, `INVALID_SESSION_ID`): a caching provider discards
    /// its token if it is still that one, so a burst of 401s causes one refresh, not one per request.
    /// - Parameter token: The token the server refused.
    func invalidate(_ token: AccessToken) async

    /// Where the provider publishes its ``AuthEvent``s (fetches, failures, invalidations), or `nil` when it
    /// publishes none. Every caching provider Ferry ships has one; counting token fetches from it is exact, where
    /// watching the tokens that go by can only guess.
    var events: AuthEventSource? { get }
}

extension TokenProvider {
    /// `nil`: a provider that does not implement ``events`` publishes nothing (a ``StaticTokenProvider`` or
    /// ``CustomTokenProvider`` fetches nothing it could report).
    public var events: AuthEventSource? { nil }
}
