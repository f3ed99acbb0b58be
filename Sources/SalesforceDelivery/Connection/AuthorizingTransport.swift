import FerryAuth
import FerryCore
import FerryDelivery
import Foundation

/// An ``/FerryCore/HTTPTransport`` that puts a bearer token on every request to the org, and after an expired session
/// (HTTP 401) discards the refused token, fetches a new one and replays the request once.
///
/// A burst of 401s from many concurrent requests causes one token request, because the token provider discards
/// its token only if it is still the refused one. Requests to any other origin than the org's are refused
/// before the token is attached, so a token never leaves for another host.
public struct AuthorizingTransport: HTTPTransport {
    /// What the transport saw, for counters and events. Never carries a token.
    public typealias Observation = ConnectionObservation

    private let tokenProvider: any TokenProvider
    private let transport: any HTTPTransport
    private let origin: URL?
    private let observer: (@Sendable (Observation) -> Void)?
    /// Hears the provider's fetches while any copy of this transport lives.
    private let fetches: AuthEventSubscription?
    /// `scheme://host[:port]` of `origin` exactly as written, for a check without parsing most request URLs.
    private let originPrefix: String?

    /// Creates an authorising transport.
    /// - Parameters:
    ///   - tokenProvider: Supplies tokens (normally a caching one).
    ///   - transport: Sends the requests.
    ///   - origin: The org's base URL; requests to any other scheme, host or port are refused. `nil` allows any
    ///     host (for custom destinations that know what they do).
    ///   - observer: Called for every answer, token fetch (from the provider's ``/FerryAuth/TokenProvider/events``:
    ///     a provider without events reports none) and expired session.
    public init(
        tokenProvider: any TokenProvider, transport: any HTTPTransport, origin: URL?,
        observer: (@Sendable (Observation) -> Void)? = nil
    ) {
        self.tokenProvider = tokenProvider
        self.transport = transport
        self.origin = origin
        self.observer = observer
        fetches = observer.flatMap { observer in
            tokenProvider.events?.subscribe { event in
                if event.kind == .tokenFetched || event.kind == .tokenRefreshedInBackground { observer(.tokenFetched) }
            }
        }
        originPrefix = origin.flatMap(AuthorizingTransport.prefix(of:))
    }

    /// Sends `request` with a bearer token; replays once with a fresh token after a 401.
    /// - Parameter request: The request, without an `Authorization` header.
    /// - Returns: The org's response (a second 401 is returned as it is).
    /// - Throws: `TransportError` (also for a request to another origin, before anything is sent), `AuthError`
    ///   when no token could be obtained, `CancellationError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let origin, !isSameOrigin(request.url, origin) {
            throw TransportError(
                .invalidURL, url: request.redactedURL,
                detail: "refused to send the org's token to a host other than \(origin.absoluteString)")
        }
        let token = try await tokenProvider.token()
        let response = try await send(request, with: token)
        guard response.status == 401 else { return response }
        observer?(.sessionExpired)
        await tokenProvider.invalidate(token)
        let fresh = try await tokenProvider.token()
        return try await send(request, with: fresh)
    }

    private func send(_ request: HTTPRequest, with token: AccessToken) async throws -> HTTPResponse {
        var authorised = request
        // The common `Bearer` type needs no case folding: the same value as `token.authorizationHeaderValue`.
        let header = token.type == "Bearer" ? "Bearer " + token.value : token.authorizationHeaderValue
        authorised.headers.replaceOrAdd(name: "Authorization", value: header)
        let response = try await transport.send(authorised)
        observer?(.response(status: response.status, headers: response.headers))
        return response
    }

    /// Whether `url` is on `origin`: a URL that starts with the origin's `scheme://host[:port]` exactly, followed
    /// by `/`, `?`, `#` or nothing, is on it (the host ends where the prefix ends); others are compared by parts.
    private func isSameOrigin(_ url: URL, _ origin: URL) -> Bool {
        if let originPrefix {
            let text = url.absoluteString
            if text.hasPrefix(originPrefix) {
                let rest = text.utf8.dropFirst(originPrefix.utf8.count)
                if rest.isEmpty || rest.first == UInt8(ascii: "/") || rest.first == UInt8(ascii: "?")
                    || rest.first == UInt8(ascii: "#")
                {
                    return true
                }
            }
        }
        return AuthorizingTransport.sameOrigin(url, origin)
    }

    /// `scheme://host[:port]` of a URL without user info, or `nil` when the URL has other parts before its path.
    private static func prefix(of origin: URL) -> String? {
        guard let scheme = origin.scheme, let host = origin.host, !host.isEmpty, origin.user == nil,
            origin.password == nil
        else { return nil }
        let prefix = scheme + "://" + host + (origin.port.map { ":\($0)" } ?? "")
        // Use the prefix only when the origin's own text starts with it (no IPv6 brackets or escapes to mis-read).
        return origin.absoluteString.hasPrefix(prefix) ? prefix : nil
    }

    static func sameOrigin(_ url: URL, _ origin: URL) -> Bool {
        func port(_ url: URL) -> Int? { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil) }
        return url.scheme?.lowercased() == origin.scheme?.lowercased()
            && url.host?.lowercased() == origin.host?.lowercased()
            && port(url) == port(origin)
    }
}
