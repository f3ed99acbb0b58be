import FerryAuth

/// An External Client App registered in a ``SimulatedSalesforceOrg``: its consumer key and secret, and the
/// policy problems a real app can have, so tests can provoke each token error Salesforce gives.
public struct SimulatedClient: Sendable {
    /// The consumer key (client id).
    public var id: String
    /// The consumer secret.
    public var secret: Secret
    /// Whether a Run As user is set under Policies > OAuth Policies. Without one Salesforce answers
    /// `invalid_grant` / `no client credentials user enabled`.
    public var hasRunAsUser: Bool
    /// Whether the app has the `api` scope. Without it Salesforce answers `invalid_grant` / `no valid scopes defined`.
    public var hasAPIScope: Bool

    /// Creates a client.
    /// - Parameters:
    ///   - id: The consumer key.
    ///   - secret: The consumer secret.
    ///   - hasRunAsUser: Whether a Run As user is configured (default `true`).
    ///   - hasAPIScope: Whether the `api` scope is granted (default `true`).
    public init(id: String, secret: Secret, hasRunAsUser: Bool = true, hasAPIScope: Bool = true) {
        self.id = id
        self.secret = secret
        self.hasRunAsUser = hasRunAsUser
        self.hasAPIScope = hasAPIScope
    }

    /// The client a ``SimulatedSalesforceOrg`` registers when given none: id `ferry-client-id`, secret
    /// `ferry-client-secret`.
    public static let example = SimulatedClient(id: "ferry-client-id", secret: Secret("ferry-client-secret"))
}
