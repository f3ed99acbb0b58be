import FerryAuth
import FerryCore
import FerryDelivery
import Foundation

/// The ``/FerryDelivery/ConnectionLayer`` that authorises a pipeline's requests to an org: every request carries
/// the token provider's bearer token through an ``AuthorizingTransport``, and is replayed once with a fresh token
/// after a 401.
public struct BearerTokenAuthorization: ConnectionLayer {
    /// Supplies tokens (normally a caching one).
    public let tokenProvider: any TokenProvider
    /// The org's base URL: requests to any other origin are refused so the token never leaves for another host;
    /// `nil` allows any host.
    public let origin: URL?

    /// Creates the layer.
    /// - Parameters:
    ///   - tokenProvider: Supplies tokens (normally a caching one).
    ///   - origin: The org's base URL; `nil` allows any host (for custom destinations that know what they do).
    public init(tokenProvider: any TokenProvider, origin: URL?) {
        self.tokenProvider = tokenProvider
        self.origin = origin
    }

    /// An ``AuthorizingTransport`` over `transport`.
    /// - Parameters:
    ///   - transport: The pipeline's transport.
    ///   - observer: Takes every answer, new token and expired session.
    /// - Returns: The authorising transport.
    public func transport(
        over transport: any HTTPTransport, observer: @escaping @Sendable (ConnectionObservation) -> Void
    ) -> any HTTPTransport {
        AuthorizingTransport(tokenProvider: tokenProvider, transport: transport, origin: origin, observer: observer)
    }
}
