import FerryAuth
import FerryCore
import Foundation
import SalesforceModels

// The Salesforce convenience lives here, where FerryAuth (generic OAuth 2.0) meets SalesforceModels (which
// knows the org's hosts and endpoints), so the rules for a valid My Domain exist in exactly one place.
extension ClientCredentialsTokenProvider {
    /// A client credentials provider for a Salesforce External Client App.
    ///
    /// Tokens come from `<My Domain>/services/oauth2/token`; no `scope` is sent (Salesforce refuses it);
    /// introspection and revocation use `/services/oauth2/introspect` and `/services/oauth2/revoke`. Salesforce
    /// sends no expiry: the default ``/FerryAuth/TokenExpiry/automatic(sessionLifetime:)`` assumes a 2-hour session
    /// from `issued_at` (set it to the org's session timeout), and a 401 `INVALID_SESSION_ID` leads to
    /// ``/FerryAuth/ClientCredentialsTokenProvider/invalidate(_:)`` and one replay.
    ///
    /// ```swift
    /// let provider = try ClientCredentialsTokenProvider.salesforce(
    ///     org: SalesforceOrg("https://acme.my.salesforce.com"), clientID: consumerKey, clientSecret: Secret(consumerSecret))
    /// ```
    /// - Parameters:
    ///   - org: The org (its My Domain was checked when the `SalesforceOrg` was made).
    ///   - clientID: The External Client App's Consumer Key.
    ///   - clientSecret: Its Consumer Secret.
    ///   - authentication: Basic header (default) or request body; Salesforce accepts both.
    ///   - expiry: How to read the expiry (default `expires_in` if present, else `issued_at` + 2 hours).
    ///   - cachePolicy: When to refresh and retry.
    ///   - transport: The HTTP transport.
    ///   - clock: The clock.
    ///   - onEvent: Receives ``/FerryAuth/AuthEvent``s.
    /// - Returns: The provider.
    /// - Throws: ``/FerryAuth/AuthError`` for an invalid configuration (an empty client id, say).
    public static func salesforce(
        org: SalesforceOrg, clientID: String, clientSecret: Secret, authentication: ClientAuthentication = .basic,
        expiry: TokenExpiry = .automatic(), cachePolicy: TokenCachePolicy = .default,
        transport: any HTTPTransport = URLSessionTransport(), clock: any FerryClock = SystemClock(),
        onEvent: AuthEventHandler? = nil
    ) throws(AuthError) -> ClientCredentialsTokenProvider {
        let endpoints = SalesforceEndpoints(org: org)
        let configuration = Configuration(
            tokenURL: endpoints.token, clientID: clientID, clientSecret: clientSecret,
            authentication: authentication, scope: nil, expiry: expiry,
            introspectionURL: endpoints.introspect, revocationURL: endpoints.revoke, cachePolicy: cachePolicy)
        return try ClientCredentialsTokenProvider(
            configuration: configuration, transport: transport, clock: clock, onEvent: onEvent)
    }

    /// A client credentials provider for the org at `myDomain`; see ``salesforce(org:clientID:clientSecret:authentication:expiry:cachePolicy:transport:clock:onEvent:)``.
    ///
    /// The host is checked before anything is sent: `login.salesforce.com` and `test.salesforce.com` (which
    /// answer `request not supported on this domain`), `*.lightning.force.com` and `*.salesforce-setup.com` are
    /// refused with the My Domain host to use instead.
    /// - Parameters:
    ///   - myDomain: `https://acme.my.salesforce.com`, `acme.my.salesforce.com`, a sandbox's
    ///     `https://acme--uat.sandbox.my.salesforce.com`, or `http://127.0.0.1:<port>` for a local test server.
    ///   - clientID: The Consumer Key.
    ///   - clientSecret: The Consumer Secret.
    ///   - authentication: Basic header (default) or request body.
    ///   - expiry: How to read the expiry.
    ///   - cachePolicy: When to refresh and retry.
    ///   - transport: The HTTP transport.
    ///   - clock: The clock.
    ///   - onEvent: Receives ``/FerryAuth/AuthEvent``s.
    /// - Returns: The provider.
    /// - Throws: `SalesforceOrgError` for a host that is not a My Domain (with the fix), `AuthError` for an invalid
    ///   configuration. Nothing is sent in either case.
    public static func salesforce(
        myDomain: String, clientID: String, clientSecret: Secret, authentication: ClientAuthentication = .basic,
        expiry: TokenExpiry = .automatic(), cachePolicy: TokenCachePolicy = .default,
        transport: any HTTPTransport = URLSessionTransport(), clock: any FerryClock = SystemClock(),
        onEvent: AuthEventHandler? = nil
    ) throws -> ClientCredentialsTokenProvider {
        try salesforce(
            org: SalesforceOrg(myDomain), clientID: clientID, clientSecret: clientSecret,
            authentication: authentication, expiry: expiry, cachePolicy: cachePolicy, transport: transport,
            clock: clock, onEvent: onEvent)
    }
}
