import Foundation
import FerryCore

extension ClientCredentialsTokenProvider {
    /// A client credentials provider for a Salesforce External Client App.
    ///
    /// The host is checked before anything is sent (see ``SalesforceMyDomain``). Tokens come from
    /// `<My Domain>/services/oauth2/token`; no `scope` is sent (Salesforce refuses it); introspection and
    /// revocation use `/services/oauth2/introspect` and `/services/oauth2/revoke`. Salesforce sends no expiry:
    /// the default ``TokenExpiry/automatic(sessionLifetime:)`` assumes a 2-hour session from `issued_at` (set it
    /// to the org's session timeout), and a 401 `INVALID_SESSION_ID` should always lead to
    /// ``invalidate(_:)`` and one replay.
    ///
    /// ```swift
    /// let provider = try ClientCredentialsTokenProvider.salesforce(
    ///     myDomain: "acme.my.salesforce.com", clientID: consumerKey, clientSecret: Secret(consumerSecret))
    /// ```
    /// - Parameters:
    ///   - myDomain: The org's My Domain (`acme.my.salesforce.com` or `https://acme.my.salesforce.com`).
    ///   - clientID: The External Client App's Consumer Key.
    ///   - clientSecret: Its Consumer Secret.
    ///   - authentication: Basic header (default) or request body; Salesforce accepts both.
    ///   - expiry: How to read the expiry (default `expires_in` if present, else `issued_at` + 2 hours).
    ///   - cachePolicy: When to refresh and retry.
    ///   - transport: The HTTP transport.
    ///   - clock: The clock.
    ///   - onEvent: Receives ``AuthEvent``s.
    /// - Returns: The provider.
    /// - Throws: ``AuthError`` of kind ``AuthError/Kind/wrongSalesforceHost`` for `login.salesforce.com`,
    ///   `test.salesforce.com`, `*.lightning.force.com` and `*.salesforce-setup.com`, or
    ///   ``AuthError/Kind/invalidConfiguration`` for a malformed or insecure URL; nothing is sent.
    public static func salesforce(
        myDomain: String, clientID: String, clientSecret: Secret, authentication: ClientAuthentication = .basic,
        expiry: TokenExpiry = .automatic(), cachePolicy: TokenCachePolicy = .default,
        transport: any HTTPTransport = URLSessionTransport(), clock: any FerryClock = SystemClock(),
        onEvent: AuthEventHandler? = nil
    ) throws(AuthError) -> ClientCredentialsTokenProvider {
        let domain = try SalesforceMyDomain(myDomain)
        let configuration = Configuration(
            tokenURL: domain.url(path: "/services/oauth2/token"), clientID: clientID, clientSecret: clientSecret,
            authentication: authentication, scope: nil, expiry: expiry,
            introspectionURL: domain.url(path: "/services/oauth2/introspect"),
            revocationURL: domain.url(path: "/services/oauth2/revoke"), cachePolicy: cachePolicy)
        return try ClientCredentialsTokenProvider(
            configuration: configuration, transport: transport, clock: clock, onEvent: onEvent)
    }
}
