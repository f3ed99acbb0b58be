/// A provider made of closures: for tokens from a secrets manager, another SDK or an in-house service.
///
/// It does not cache: every ``token()`` calls the closure. To share one token among callers with background
/// refresh, give the closure to a ``CachingTokenProvider`` instead:
///
/// ```swift
/// let provider = CachingTokenProvider { try await vault.fetchSalesforceToken() }
/// ```
public struct CustomTokenProvider: TokenProvider {
    private let fetch: @Sendable () async throws -> AccessToken
    private let onInvalidate: @Sendable (AccessToken) async -> Void

    /// Creates a provider from closures.
    /// - Parameters:
    ///   - invalidate: Called with a token the server refused (default: nothing).
    ///   - token: Returns a token; called on every ``token()``.
    public init(
        invalidate: @escaping @Sendable (AccessToken) async -> Void = { _ in },
        token: @escaping @Sendable () async throws -> AccessToken
    ) {
        fetch = token
        onInvalidate = invalidate
    }

    /// Calls the token closure.
    /// - Returns: What the closure returned.
    /// - Throws: What the closure threw.
    public func token() async throws -> AccessToken { try await fetch() }

    /// Calls the invalidate closure.
    /// - Parameter token: The refused token.
    public func invalidate(_ token: AccessToken) async { await onInvalidate(token) }
}
