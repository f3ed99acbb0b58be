import Foundation

/// An HTTP request as Ferry hands it to an ``HTTPTransport``: a value, so it can be recorded, compared and
/// replayed in tests.
public struct HTTPRequest: Sendable, Hashable {
    /// The method.
    public var method: HTTPMethod
    /// The absolute URL.
    public var url: URL
    /// The header fields.
    public var headers: HTTPHeaders
    /// The body, or `nil` for none.
    public var body: Data?
    /// A timeout for this request only, overriding the transport's request timeout; `nil` uses the transport's.
    public var timeout: Duration?

    /// Creates a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - url: The absolute URL.
    ///   - headers: The header fields.
    ///   - body: The body, or `nil`.
    ///   - timeout: A timeout for this request only; `nil` uses the transport's.
    public init(
        method: HTTPMethod, url: URL, headers: HTTPHeaders = [:], body: Data? = nil, timeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The URL without its query and fragment, safe to print: queries can carry tokens.
    public var redactedURL: String { HTTPRequest.redact(url) }

    static func redact(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<invalid URL>" }
        components.user = nil
        components.password = nil
        let hadQuery = components.query != nil
        components.query = nil
        components.fragment = nil
        guard let text = components.string else { return "<invalid URL>" }
        return hadQuery ? text + "?…" : text
    }
}

extension HTTPRequest: CustomStringConvertible {
    /// `METHOD URL` with the query redacted; headers and body are never included, since they may hold secrets.
    public var description: String { "\(method) \(redactedURL)" }
}
