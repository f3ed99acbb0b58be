import Foundation
import FerryCore

/// Obtains tokens with the OAuth 2.0 client credentials grant (RFC 6749 §4.4) and caches them for every caller
/// (``CachingTokenProvider``: one request for any number of callers, background refresh before expiry).
///
/// For Salesforce use `ClientCredentialsTokenProvider.salesforce(myDomain:clientID:clientSecret:...)`, which the
/// Ferry module adds (it knows Salesforce orgs; this module does not); for any other server give a ``Configuration``:
///
/// ```swift
/// let provider = try ClientCredentialsTokenProvider(configuration: .init(
///     tokenURL: URL(string: "https://auth.example.com/oauth/token")!,
///     clientID: "ferry", clientSecret: Secret(secretFromEnvironment)))
/// let token = try await provider.token()
/// ```
public final class ClientCredentialsTokenProvider: TokenProvider {
    /// Where and how to ask for tokens.
    public struct Configuration: Sendable {
        /// The token endpoint (`https://`, or `http://` to a loopback host).
        public var tokenURL: URL
        /// The client id (Salesforce: the External Client App's Consumer Key).
        public var clientID: String
        /// The client secret (Salesforce: the Consumer Secret). Never printed.
        public var clientSecret: Secret
        /// Basic header (default) or request body.
        public var authentication: ClientAuthentication
        /// A `scope` to request; `nil` (the default) sends none, as Salesforce requires.
        public var scope: String?
        /// Extra form parameters sent with every token request (e.g. `audience`), in name order.
        public var additionalParameters: [String: String]
        /// How the expiry is read from the response (default `expires_in`).
        public var expiry: TokenExpiry
        /// The introspection endpoint, for ``ClientCredentialsTokenProvider/introspect(_:)`` and
        /// ``TokenExpiry/introspection``.
        public var introspectionURL: URL?
        /// The revocation endpoint, for ``ClientCredentialsTokenProvider/revoke(_:)``.
        public var revocationURL: URL?
        /// When to refresh and retry.
        public var cachePolicy: TokenCachePolicy
        /// A timeout for each request to the token endpoint (default 30 s).
        public var requestTimeout: Duration?

        /// Creates a configuration.
        /// - Parameters:
        ///   - tokenURL: The token endpoint.
        ///   - clientID: The client id.
        ///   - clientSecret: The client secret.
        ///   - authentication: Basic header (default) or request body.
        ///   - scope: A scope to request (default none).
        ///   - additionalParameters: Extra form parameters (default none).
        ///   - expiry: How to read the expiry (default `expires_in`).
        ///   - introspectionURL: The introspection endpoint, if any.
        ///   - revocationURL: The revocation endpoint, if any.
        ///   - cachePolicy: When to refresh and retry (default ``TokenCachePolicy/default``).
        ///   - requestTimeout: A per-request timeout (default 30 s).
        public init(
            tokenURL: URL, clientID: String, clientSecret: Secret, authentication: ClientAuthentication = .basic,
            scope: String? = nil, additionalParameters: [String: String] = [:], expiry: TokenExpiry = .expiresIn,
            introspectionURL: URL? = nil, revocationURL: URL? = nil, cachePolicy: TokenCachePolicy = .default,
            requestTimeout: Duration? = .seconds(30)
        ) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.authentication = authentication
            self.scope = scope
            self.additionalParameters = additionalParameters
            self.expiry = expiry
            self.introspectionURL = introspectionURL
            self.revocationURL = revocationURL
            self.cachePolicy = cachePolicy
            self.requestTimeout = requestTimeout
        }
    }

    /// The configuration the provider was created with.
    public let configuration: Configuration
    private let fetcher: Fetcher
    private let cache: CachingTokenProvider

    /// Creates a provider; nothing is sent until the first ``token()``.
    /// - Parameters:
    ///   - configuration: Where and how to ask.
    ///   - transport: The HTTP transport (default a new ``/FerryCore/URLSessionTransport``).
    ///   - clock: The clock for every time read (default the system clock).
    ///   - onEvent: Receives ``AuthEvent``s (default none).
    /// - Throws: ``AuthError`` of kind ``AuthError/Kind/invalidConfiguration`` for an `http://` URL to a host that
    ///   is not loopback, a URL without a host, an empty client id, or ``TokenExpiry/introspection`` without an
    ///   introspection URL.
    public init(
        configuration: Configuration, transport: any HTTPTransport = URLSessionTransport(),
        clock: any FerryClock = SystemClock(), onEvent: AuthEventHandler? = nil
    ) throws(AuthError) {
        for url in [configuration.tokenURL, configuration.introspectionURL, configuration.revocationURL]
            .compactMap({ $0 })
        {
            do {
                try URLSecurityPolicy.validate(url)
            } catch {
                throw AuthError.invalidConfiguration(
                    "\(error)", fix: "use https:// (plain http:// is only for a test server on this machine)",
                    endpoint: HTTPRequest(method: .post, url: url).redactedURL)
            }
        }
        guard !configuration.clientID.isEmpty else {
            throw AuthError.invalidConfiguration(
                "the client id is empty", fix: "set the External Client App's Consumer Key as the client id")
        }
        if configuration.expiry == .introspection, configuration.introspectionURL == nil {
            throw AuthError.invalidConfiguration(
                "the expiry is read by introspection, but no introspection URL is configured",
                fix: "set introspectionURL (Salesforce: <My Domain>/services/oauth2/introspect) or choose another expiry")
        }
        self.configuration = configuration
        let fetcher = Fetcher(
            configuration: configuration, clock: clock,
            endpoint: OAuthEndpointClient(
                transport: transport, clientID: configuration.clientID, clientSecret: configuration.clientSecret,
                authentication: configuration.authentication, timeout: configuration.requestTimeout))
        self.fetcher = fetcher
        self.cache = CachingTokenProvider(
            label: configuration.tokenURL.host ?? "token endpoint", policy: configuration.cachePolicy, clock: clock,
            onEvent: onEvent
        ) { try await fetcher.fetch() }
    }

    /// The cached token, or a fresh one (see ``CachingTokenProvider``).
    /// - Returns: A usable token.
    /// - Throws: ``AuthError``, or `CancellationError` when the calling task is cancelled while waiting.
    public func token() async throws -> AccessToken { try await cache.token() }

    /// Discards the cached token if it is still `token`.
    /// - Parameter token: The token the server refused.
    public func invalidate(_ token: AccessToken) async { await cache.invalidate(token) }

    /// The cache's events: one per fetch (``AuthEvent/Kind/tokenFetched``, ``AuthEvent/Kind/fetchFailed``, ...)
    /// and per invalidation. ``fetchToken()``-style direct requests bypass the cache and publish nothing.
    public var events: AuthEventSource? { cache.source }

    /// Requests a new token now, bypassing and not touching the cache (for `ferry token` and diagnostics).
    /// - Returns: The new token.
    /// - Throws: ``AuthError``.
    public func fetchToken() async throws -> AccessToken { try await fetcher.fetch() }

    /// How many token requests the cache has started (for diagnostics and tests).
    public var fetchesStarted: Int { get async { await cache.fetchesStarted } }

    /// Asks the introspection endpoint about `token` (`token=<t>&token_type_hint=access_token`).
    /// - Parameter token: The token to ask about.
    /// - Returns: What the server says.
    /// - Throws: ``AuthError`` (``AuthError/Kind/invalidConfiguration`` when no introspection URL is configured).
    public func introspect(_ token: AccessToken) async throws -> TokenIntrospection {
        try await fetcher.introspect(token.value)
    }

    /// Revokes `token` at the revocation endpoint (`token=<t>`); also discards it from the cache.
    /// - Parameter token: The token to revoke.
    /// - Throws: ``AuthError`` (e.g. `unsupported_token_type`, `invalid_token`; ``AuthError/Kind/invalidConfiguration``
    ///   when no revocation URL is configured).
    public func revoke(_ token: AccessToken) async throws {
        guard let url = configuration.revocationURL else {
            throw AuthError.invalidConfiguration(
                "no revocation URL is configured",
                fix: "set revocationURL (Salesforce: <My Domain>/services/oauth2/revoke)")
        }
        await cache.invalidate(token)
        _ = try await fetcher.endpoint.post(
            url, parameters: [("token", token.value)], operation: "revocation", secrets: [token.value])
    }
}

extension ClientCredentialsTokenProvider: CustomStringConvertible {
    /// `ClientCredentialsTokenProvider(<token URL>, client <id>, basic)`; never the secret.
    public var description: String {
        "ClientCredentialsTokenProvider(\(HTTPRequest(method: .post, url: configuration.tokenURL).redactedURL), "
            + "client \(configuration.clientID), \(configuration.authentication), expiry \(configuration.expiry))"
    }
}

extension ClientCredentialsTokenProvider {
    /// One token request, parsed; shared by the cache (which calls it) and ``fetchToken()``.
    struct Fetcher: Sendable {
        let configuration: Configuration
        let clock: any FerryClock
        let endpoint: OAuthEndpointClient

        func fetch() async throws -> AccessToken {
            var parameters = [("grant_type", "client_credentials")]
            if let scope = configuration.scope { parameters.append(("scope", scope)) }
            for (name, value) in configuration.additionalParameters.sorted(by: { $0.key < $1.key }) {
                parameters.append((name, value))
            }
            let url = configuration.tokenURL
            let object = try await endpoint.postForObject(url, parameters: parameters, operation: "token request")
            var token = try TokenResponse.parse(
                object, expiry: configuration.expiry, receivedAt: clock.now, operation: "token request",
                endpoint: HTTPRequest(method: .post, url: url).redactedURL)
            if configuration.expiry == .introspection {
                let introspection = try await introspect(token.value)
                guard introspection.active else {
                    throw AuthError.inactiveToken(
                        operation: "introspection", endpoint: redacted(configuration.introspectionURL))
                }
                guard let expiresAt = introspection.expiresAt else {
                    throw AuthError.malformedResponse(
                        status: 200, problem: "it has no exp field",
                        excerpt: "fields: " + introspection.fields.keys.joined(separator: ", "),
                        operation: "introspection", endpoint: redacted(configuration.introspectionURL))
                }
                token.expiresAt = expiresAt
            }
            return token
        }

        func introspect(_ value: String) async throws -> TokenIntrospection {
            guard let url = configuration.introspectionURL else {
                throw AuthError.invalidConfiguration(
                    "no introspection URL is configured",
                    fix: "set introspectionURL (Salesforce: <My Domain>/services/oauth2/introspect)")
            }
            let object = try await endpoint.postForObject(
                url, parameters: [("token", value), ("token_type_hint", "access_token")], operation: "introspection",
                secrets: [value])
            return TokenIntrospection(object)
        }

        private func redacted(_ url: URL?) -> String {
            url.map { HTTPRequest(method: .post, url: $0).redactedURL } ?? ""
        }
    }
}
