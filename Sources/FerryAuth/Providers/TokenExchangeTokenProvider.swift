import Foundation
import FerryCore

/// Obtains tokens with OAuth 2.0 Token Exchange (RFC 8693): a subject token from another provider or a closure
/// is traded for an access token, cached like every Ferry token (``CachingTokenProvider``).
///
/// Salesforce supports it on External Client Apps with the Token Exchange Flow enabled and an Apex
/// `Auth.Oauth2TokenExchangeHandler` that validates the subject token.
///
/// ```swift
/// let exchange = try TokenExchangeTokenProvider(
///     configuration: .init(tokenURL: tokenURL, clientID: consumerKey, clientSecret: Secret(consumerSecret),
///                          subjectTokenType: .jwt),
///     subject: .closure { try await identityProvider.currentJWT() })
/// ```
public final class TokenExchangeTokenProvider: TokenProvider {
    /// A token type URN (RFC 8693 §3).
    public struct TokenType: Sendable, Hashable, CustomStringConvertible {
        /// The URN, e.g. `urn:ietf:params:oauth:token-type:jwt`.
        public let rawValue: String

        /// A token type from its URN.
        /// - Parameter rawValue: The URN.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// `urn:ietf:params:oauth:token-type:access_token`.
        public static let accessToken = TokenType("urn:ietf:params:oauth:token-type:access_token")
        /// `urn:ietf:params:oauth:token-type:refresh_token`.
        public static let refreshToken = TokenType("urn:ietf:params:oauth:token-type:refresh_token")
        /// `urn:ietf:params:oauth:token-type:id_token`.
        public static let idToken = TokenType("urn:ietf:params:oauth:token-type:id_token")
        /// `urn:ietf:params:oauth:token-type:jwt`.
        public static let jwt = TokenType("urn:ietf:params:oauth:token-type:jwt")
        /// `urn:ietf:params:oauth:token-type:saml2`.
        public static let saml2 = TokenType("urn:ietf:params:oauth:token-type:saml2")

        /// The URN.
        public var description: String { rawValue }
    }

    /// Where the subject token comes from.
    public struct SubjectSource: Sendable {
        let fetch: @Sendable () async throws -> Secret

        /// The current token of another provider (for example a ``ClientCredentialsTokenProvider`` of another
        /// system).
        /// - Parameter provider: The provider.
        /// - Returns: The source.
        public static func provider(_ provider: some TokenProvider) -> SubjectSource {
            SubjectSource { Secret(try await provider.token().value) }
        }

        /// A closure returning the subject token.
        /// - Parameter fetch: Returns the subject token.
        /// - Returns: The source.
        public static func closure(_ fetch: @escaping @Sendable () async throws -> Secret) -> SubjectSource {
            SubjectSource(fetch: fetch)
        }
    }

    /// Where and how to exchange.
    public struct Configuration: Sendable {
        /// The token endpoint.
        public var tokenURL: URL
        /// The client id.
        public var clientID: String
        /// The client secret, or `nil` when the app does not require one for token exchange (then only
        /// `client_id` is sent, in the body).
        public var clientSecret: Secret?
        /// Basic header (default) or request body, when there is a secret.
        public var authentication: ClientAuthentication
        /// The subject token's type.
        public var subjectTokenType: TokenType
        /// The token type to ask for (`requested_token_type`), if any.
        public var requestedTokenType: TokenType?
        /// `audience`, if any.
        public var audience: String?
        /// `scope`, if any (default none).
        public var scope: String?
        /// Extra form parameters, sent in name order.
        public var additionalParameters: [String: String]
        /// How the expiry is read (default `expires_in`, else `issued_at` + 2 hours).
        public var expiry: TokenExpiry
        /// When to refresh and retry.
        public var cachePolicy: TokenCachePolicy
        /// A per-request timeout (default 30 s).
        public var requestTimeout: Duration?

        /// Creates a configuration.
        /// - Parameters:
        ///   - tokenURL: The token endpoint.
        ///   - clientID: The client id.
        ///   - clientSecret: The client secret, if required.
        ///   - authentication: Basic header (default) or body.
        ///   - subjectTokenType: The subject token's type.
        ///   - requestedTokenType: The type to ask for, if any.
        ///   - audience: `audience`, if any.
        ///   - scope: `scope`, if any.
        ///   - additionalParameters: Extra form parameters.
        ///   - expiry: How to read the expiry.
        ///   - cachePolicy: When to refresh and retry.
        ///   - requestTimeout: A per-request timeout.
        public init(
            tokenURL: URL, clientID: String, clientSecret: Secret?, authentication: ClientAuthentication = .basic,
            subjectTokenType: TokenType, requestedTokenType: TokenType? = nil, audience: String? = nil,
            scope: String? = nil, additionalParameters: [String: String] = [:], expiry: TokenExpiry = .automatic(),
            cachePolicy: TokenCachePolicy = .default, requestTimeout: Duration? = .seconds(30)
        ) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.authentication = authentication
            self.subjectTokenType = subjectTokenType
            self.requestedTokenType = requestedTokenType
            self.audience = audience
            self.scope = scope
            self.additionalParameters = additionalParameters
            self.expiry = expiry
            self.cachePolicy = cachePolicy
            self.requestTimeout = requestTimeout
        }
    }

    /// The grant type URN.
    public static let grantType = "urn:ietf:params:oauth:grant-type:token-exchange"

    /// The configuration.
    public let configuration: Configuration
    private let cache: CachingTokenProvider

    /// Creates a provider; nothing is sent until the first ``token()``.
    /// - Parameters:
    ///   - configuration: Where and how to exchange.
    ///   - subject: Where the subject token comes from.
    ///   - transport: The HTTP transport.
    ///   - clock: The clock.
    ///   - onEvent: Receives ``AuthEvent``s.
    /// - Throws: ``AuthError`` of kind ``AuthError/Kind/invalidConfiguration`` for an insecure or invalid URL,
    ///   an empty client id, or ``TokenExpiry/introspection`` (not supported for exchanged tokens).
    public init(
        configuration: Configuration, subject: SubjectSource, transport: any HTTPTransport = URLSessionTransport(),
        clock: any FerryClock = SystemClock(), onEvent: AuthEventHandler? = nil
    ) throws(AuthError) {
        do {
            try URLSecurityPolicy.validate(configuration.tokenURL)
        } catch {
            throw AuthError.invalidConfiguration(
                "\(error)", fix: "use https:// (plain http:// is only for a test server on this machine)",
                endpoint: HTTPRequest(method: .post, url: configuration.tokenURL).redactedURL)
        }
        guard !configuration.clientID.isEmpty else {
            throw AuthError.invalidConfiguration("the client id is empty", fix: "set the app's client id")
        }
        guard configuration.expiry != .introspection else {
            throw AuthError.invalidConfiguration(
                "introspection expiry is not supported for token exchange",
                fix: "choose expires_in, a named field or a session lifetime")
        }
        self.configuration = configuration
        let endpoint = OAuthEndpointClient(
            transport: transport, clientID: configuration.clientID, clientSecret: configuration.clientSecret,
            authentication: configuration.authentication, timeout: configuration.requestTimeout)
        let configurationCopy = configuration
        cache = CachingTokenProvider(
            label: configuration.tokenURL.host ?? "token endpoint", policy: configuration.cachePolicy, clock: clock,
            onEvent: onEvent
        ) {
            try await TokenExchangeTokenProvider.exchange(
                configuration: configurationCopy, subject: subject, endpoint: endpoint, clock: clock)
        }
    }

    /// The cached exchanged token, or a fresh one.
    /// - Returns: A usable token.
    /// - Throws: ``AuthError``, the subject source's error, or `CancellationError`.
    public func token() async throws -> AccessToken { try await cache.token() }

    /// Discards the cached token if it is still `token`.
    /// - Parameter token: The refused token.
    public func invalidate(_ token: AccessToken) async { await cache.invalidate(token) }

    /// The cache's events: one per fetch (``AuthEvent/Kind/tokenFetched``, ``AuthEvent/Kind/fetchFailed``, ...)
    /// and per invalidation.
    public var events: AuthEventSource? { cache.source }

    private static func exchange(
        configuration: Configuration, subject: SubjectSource, endpoint: OAuthEndpointClient, clock: any FerryClock
    ) async throws -> AccessToken {
        let subjectToken = try await subject.fetch()
        var parameters = [
            ("grant_type", grantType), ("subject_token", subjectToken.reveal()),
            ("subject_token_type", configuration.subjectTokenType.rawValue),
        ]
        if let requested = configuration.requestedTokenType {
            parameters.append(("requested_token_type", requested.rawValue))
        }
        if let audience = configuration.audience { parameters.append(("audience", audience)) }
        if let scope = configuration.scope { parameters.append(("scope", scope)) }
        for (name, value) in configuration.additionalParameters.sorted(by: { $0.key < $1.key }) {
            parameters.append((name, value))
        }
        let object = try await endpoint.postForObject(
            configuration.tokenURL, parameters: parameters, operation: "token exchange",
            secrets: [subjectToken.reveal()])
        return try TokenResponse.parse(
            object, expiry: configuration.expiry, receivedAt: clock.now, operation: "token exchange",
            endpoint: HTTPRequest(method: .post, url: configuration.tokenURL).redactedURL)
    }
}

extension TokenExchangeTokenProvider: CustomStringConvertible {
    /// `TokenExchangeTokenProvider(<token URL>, client <id>, subject <type>)`; never a secret.
    public var description: String {
        "TokenExchangeTokenProvider(\(HTTPRequest(method: .post, url: configuration.tokenURL).redactedURL), "
            + "client \(configuration.clientID), subject \(configuration.subjectTokenType))"
    }
}
