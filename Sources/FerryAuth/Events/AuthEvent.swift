import Foundation

/// Something a token provider did, for logs and metrics. Never carries a secret or a token value.
///
/// Pass a handler when creating a provider and bridge it to your logging system; with swift-log:
///
/// ```swift
/// let logger = Logger(label: "ferry.auth")
/// let provider = try ClientCredentialsTokenProvider.salesforce(
///     myDomain: "acme.my.salesforce.com", clientID: id, clientSecret: secret,
///     onEvent: { event in
///         logger.log(level: event.kind == .fetchFailed ? .warning : .debug, "\(event.kind)",
///                    metadata: ["provider": "\(event.provider)", "detail": "\(event.detail ?? "")"])
///     })
/// ```
///
/// Or as an `AsyncStream`: `let (events, continuation) = AsyncStream.makeStream(of: AuthEvent.self)` and pass
/// `{ continuation.yield($0) }`.
public struct AuthEvent: Sendable, Hashable {
    /// What happened.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case tokenFetched, tokenRefreshedInBackground, fetchFailed, tokenInvalidated
        }

        let code: Code

        /// A token was fetched while callers waited (no usable token was cached).
        public static let tokenFetched = Kind(code: .tokenFetched)
        /// A token was fetched in the background while the previous one was still served.
        public static let tokenRefreshedInBackground = Kind(code: .tokenRefreshedInBackground)
        /// A fetch failed; ``AuthEvent/detail`` says why.
        public static let fetchFailed = Kind(code: .fetchFailed)
        /// A refused token was discarded after ``TokenProvider/invalidate(_:)``.
        public static let tokenInvalidated = Kind(code: .tokenInvalidated)

        /// Whether the event ends a fetch: every fetch a caching provider starts (one request to the token
        /// endpoint) ends in exactly one ``tokenFetched``, ``tokenRefreshedInBackground`` or ``fetchFailed``, so
        /// counting these counts the requests sent.
        public var endsFetch: Bool { code != .tokenInvalidated }

        /// A short stable name, safe as a metrics label (`"tokenFetched"`, ...).
        public var description: String { code.rawValue }
    }

    /// What happened.
    public var kind: Kind
    /// The provider's label (e.g. the token URL's host), to tell several providers apart.
    public var provider: String
    /// When it happened, by the provider's clock.
    public var date: Date
    /// The expiry of the token fetched, when the event concerns a fetched token with a known expiry.
    public var expiresAt: Date?
    /// Whether the failed fetch ran in the background while a still-valid token was served (for
    /// ``Kind/fetchFailed``).
    public var inBackground: Bool
    /// The error's description for ``Kind/fetchFailed`` (Ferry's errors never contain secrets).
    public var detail: String?

    /// Creates an event.
    /// - Parameters:
    ///   - kind: What happened.
    ///   - provider: The provider's label.
    ///   - date: When.
    ///   - expiresAt: The fetched token's expiry, if any.
    ///   - inBackground: Whether it happened during a background refresh.
    ///   - detail: An error description, if any.
    public init(
        kind: Kind, provider: String, date: Date, expiresAt: Date? = nil, inBackground: Bool = false,
        detail: String? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.date = date
        self.expiresAt = expiresAt
        self.inBackground = inBackground
        self.detail = detail
    }
}

extension AuthEvent: CustomStringConvertible {
    /// `tokenFetched provider=acme.my.salesforce.com expires=...`.
    public var description: String {
        var text = "\(kind) provider=\(provider)"
        if let expiresAt { text += " expires=\(expiresAt.formatted(.iso8601))" }
        if inBackground { text += " background" }
        if let detail { text += " detail=\(detail)" }
        return text
    }
}

/// Receives a provider's ``AuthEvent``s; called synchronously, so keep it quick (hand off to a logger or a
/// stream).
public typealias AuthEventHandler = @Sendable (AuthEvent) -> Void
