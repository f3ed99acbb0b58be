import FerryAuth
import FerryCore
import Foundation
import SalesforceModels

/// How a ``SalesforceExporter`` gets its access tokens.
public struct SalesforceCredentials: Sendable {
    let makeProvider: @Sendable (SalesforceOrg, any HTTPTransport, any FerryClock) throws -> any TokenProvider

    /// The OAuth 2.0 client credentials flow of an External Client App: its Consumer Key and Secret.
    /// - Parameters:
    ///   - id: The Consumer Key.
    ///   - secret: The Consumer Secret (never printed).
    ///   - authentication: Basic header (default) or request body.
    ///   - expiry: How long a token is assumed to live (default: `issued_at` + 2 hours; set the org's session
    ///     timeout).
    ///   - onEvent: Receives the provider's ``/FerryAuth/AuthEvent``s (fetches, failures, invalidations), for logs
    ///     and metrics; the exporter's pipeline counts fetches from the same events.
    /// - Returns: The credentials.
    public static func clientCredentials(
        id: String, secret: Secret, authentication: ClientAuthentication = .basic, expiry: TokenExpiry = .automatic(),
        onEvent: AuthEventHandler? = nil
    ) -> SalesforceCredentials {
        SalesforceCredentials { org, transport, clock in
            try ClientCredentialsTokenProvider.salesforce(
                org: org, clientID: id, clientSecret: secret, authentication: authentication, expiry: expiry,
                transport: transport, clock: clock, onEvent: onEvent)
        }
    }

    /// The client credentials flow with the secret as a plain string (wrapped in a ``/FerryAuth/Secret`` at once).
    /// - Parameters:
    ///   - id: The Consumer Key.
    ///   - secret: The Consumer Secret.
    ///   - onEvent: Receives the provider's ``/FerryAuth/AuthEvent``s.
    /// - Returns: The credentials.
    public static func clientCredentials(
        id: String, secret: String, onEvent: AuthEventHandler? = nil
    ) -> SalesforceCredentials {
        clientCredentials(id: id, secret: Secret(secret), onEvent: onEvent)
    }

    /// A token provider the host already has: to share one provider (and its cached token) between several
    /// exporters, or to bring a custom one.
    /// - Parameter provider: The provider.
    /// - Returns: The credentials.
    public static func tokenProvider(_ provider: any TokenProvider) -> SalesforceCredentials {
        SalesforceCredentials { _, _, _ in provider }
    }
}
