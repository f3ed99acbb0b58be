/// Why a request got no HTTP response, and whether sending it again can help.
///
/// Compare with the static members to react to one kind (`error.kind == .timeout`); the description says what
/// happened, to which URL (query redacted), and what to do. Secrets never appear in it.
public struct TransportError: Error, Sendable, Hashable {
    /// The category of a transport failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case timeout, connectionRefused, connectionLost, dnsFailure, tls, cancelled, bodyTooLarge
            case insecureURL, invalidURL, other
        }

        let code: Code

        /// No response within the timeout.
        public static let timeout = Kind(code: .timeout)
        /// Nothing listens at the host and port.
        public static let connectionRefused = Kind(code: .connectionRefused)
        /// The connection dropped before the response was complete.
        public static let connectionLost = Kind(code: .connectionLost)
        /// The host name could not be resolved.
        public static let dnsFailure = Kind(code: .dnsFailure)
        /// The TLS handshake or certificate check failed.
        public static let tls = Kind(code: .tls)
        /// The calling task was cancelled.
        public static let cancelled = Kind(code: .cancelled)
        /// The response body exceeded the transport's limit.
        public static let bodyTooLarge = Kind(code: .bodyTooLarge)
        /// An `http://` URL to a host that is not loopback: refused before anything was sent.
        public static let insecureURL = Kind(code: .insecureURL)
        /// The URL cannot be sent (no host, an unsupported scheme).
        public static let invalidURL = Kind(code: .invalidURL)
        /// Any other network failure.
        public static let other = Kind(code: .other)

        /// A short, stable name, safe as a metrics label (`"timeout"`, `"connectionRefused"`, ...).
        public var description: String { code.rawValue }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The request's URL with its query redacted.
    public let url: String
    /// More detail from the system, when there is any (never containing headers or bodies).
    public let detail: String?

    /// Creates a transport error.
    /// - Parameters:
    ///   - kind: The kind of failure.
    ///   - url: The request's URL, redacted (see ``HTTPRequest/redactedURL``).
    ///   - detail: More detail, without secrets.
    public init(_ kind: Kind, url: String, detail: String? = nil) {
        self.kind = kind
        self.url = url
        self.detail = detail
    }

    /// Whether sending the same request again can succeed: true for timeouts, refused or lost connections, DNS
    /// failures and unknown network errors; false for TLS failures, cancellation, oversized bodies and refused
    /// URLs, which need a change first.
    public var isRetryable: Bool {
        switch kind.code {
        case .timeout, .connectionRefused, .connectionLost, .dnsFailure, .other: true
        case .tls, .cancelled, .bodyTooLarge, .insecureURL, .invalidURL: false
        }
    }
}

extension TransportError: CustomStringConvertible {
    /// What happened, to which URL, and what to do.
    public var description: String {
        let what: String
        switch kind.code {
        case .timeout:
            what = "no response from \(url) within the timeout; the server may be slow or unreachable (retrying may help; raise the timeout if it keeps happening)"
        case .connectionRefused:
            what = "connection to \(url) was refused; nothing is listening there (check the host and port)"
        case .connectionLost:
            what = "the connection to \(url) was lost before the response was complete (retrying may help)"
        case .dnsFailure:
            what = "the host of \(url) could not be resolved; check the My Domain name for typos"
        case .tls:
            what = "the TLS connection to \(url) failed; check the host name and the machine's trusted certificates"
        case .cancelled:
            what = "the request to \(url) was cancelled"
        case .bodyTooLarge:
            what = "the response from \(url) is larger than the transport's body limit; raise the limit if the reply is expected to be this large"
        case .insecureURL:
            what = "refused to send to \(url): plain http:// is allowed only to loopback hosts (127.0.0.1, ::1, localhost); use https://"
        case .invalidURL:
            what = "cannot send to \(url): the URL needs an http(s) scheme and a host"
        case .other:
            what = "the request to \(url) failed"
        }
        guard let detail, !detail.isEmpty else { return what }
        return "\(what) [\(detail)]"
    }
}
