/// Always returns the same token: for tests, scripts and tokens obtained elsewhere.
///
/// ``invalidate(_:)`` does nothing, since there is no other token to turn to; the next request that uses the
/// token fails again with the server's error.
public struct StaticTokenProvider: TokenProvider {
    /// The token returned by ``token()``.
    public let accessToken: AccessToken

    /// Creates a provider that always returns `token`.
    /// - Parameter token: The token.
    public init(_ token: AccessToken) { accessToken = token }

    /// Returns the token given at creation.
    /// - Returns: The token.
    public func token() async throws -> AccessToken { accessToken }

    /// Does nothing: a static token cannot be replaced.
    /// - Parameter token: The refused token.
    public func invalidate(_ token: AccessToken) async {}
}

extension StaticTokenProvider: CustomStringConvertible {
    /// `StaticTokenProvider(<redacted token>)`.
    public var description: String { "StaticTokenProvider(\(accessToken))" }
}
