import FerryCore

/// Why no token (or introspection, or revocation) could be obtained: what happened, why, and what to do.
///
/// The description names the endpoint (query redacted), the HTTP status, the OAuth `error` code when the server
/// sent one (`invalid_client`, ...), and the remedy from Salesforce's documentation and the integration's
/// Troubleshooting table. It never contains the client secret or a token. Compare ``kind`` to react to a class
/// of failure, or read ``oauthError`` for the server's code.
public struct AuthError: Error, Sendable, Hashable {
    /// The class of an authentication failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case oauth, malformedResponse, unexpectedStatus, transport, invalidConfiguration
            case inactiveToken
        }

        let code: Code

        /// The server answered with an OAuth error body (`{"error": "...", "error_description": "..."}`).
        public static let oauth = Kind(code: .oauth)
        /// The server answered, but not with a readable token response (not JSON, or fields missing).
        public static let malformedResponse = Kind(code: .malformedResponse)
        /// The server answered with a status and body that are not an OAuth answer.
        public static let unexpectedStatus = Kind(code: .unexpectedStatus)
        /// No response arrived (see ``AuthError/transportError``).
        public static let transport = Kind(code: .transport)
        /// The provider's configuration cannot work (an insecure URL, a missing value); nothing was sent.
        public static let invalidConfiguration = Kind(code: .invalidConfiguration)
        /// Introspection says the token is not active.
        public static let inactiveToken = Kind(code: .inactiveToken)

        /// A short stable name, safe as a metrics label.
        public var description: String { code.rawValue }
    }

    private enum Code: Sendable, Hashable {
        case oauth(error: String, errorDescription: String?, status: Int)
        case malformedResponse(status: Int, problem: String, excerpt: String)
        case unexpectedStatus(status: Int, excerpt: String)
        case transport(TransportError)
        case invalidConfiguration(problem: String, fix: String)
        case inactiveToken
    }

    private let code: Code
    /// What was being done: `token request`, `introspection`, `revocation`, `token exchange`.
    public let operation: String
    /// The endpoint's URL with its query redacted (empty when nothing was sent).
    public let endpoint: String

    private init(_ code: Code, operation: String, endpoint: String) {
        self.code = code
        self.operation = operation
        self.endpoint = endpoint
    }

    static func oauth(
        error: String, description: String?, status: Int, operation: String, endpoint: String
    ) -> AuthError {
        AuthError(.oauth(error: error, errorDescription: description, status: status), operation: operation,
                  endpoint: endpoint)
    }

    static func malformedResponse(
        status: Int, problem: String, excerpt: String, operation: String, endpoint: String
    ) -> AuthError {
        AuthError(.malformedResponse(status: status, problem: problem, excerpt: excerpt), operation: operation,
                  endpoint: endpoint)
    }

    static func unexpectedStatus(status: Int, excerpt: String, operation: String, endpoint: String) -> AuthError {
        AuthError(.unexpectedStatus(status: status, excerpt: excerpt), operation: operation, endpoint: endpoint)
    }

    static func transport(_ error: TransportError, operation: String) -> AuthError {
        AuthError(.transport(error), operation: operation, endpoint: error.url)
    }

    static func invalidConfiguration(_ problem: String, fix: String, endpoint: String = "") -> AuthError {
        AuthError(.invalidConfiguration(problem: problem, fix: fix), operation: "configuration", endpoint: endpoint)
    }

    static func inactiveToken(operation: String, endpoint: String) -> AuthError {
        AuthError(.inactiveToken, operation: operation, endpoint: endpoint)
    }

    /// The class of failure.
    public var kind: Kind {
        switch code {
        case .oauth: .oauth
        case .malformedResponse: .malformedResponse
        case .unexpectedStatus: .unexpectedStatus
        case .transport: .transport
        case .invalidConfiguration: .invalidConfiguration
        case .inactiveToken: .inactiveToken
        }
    }

    /// The server's OAuth `error` code (`invalid_client`, `invalid_grant`, ...), when it sent one.
    public var oauthError: String? {
        if case .oauth(let error, _, _) = code { return error }
        return nil
    }

    /// The server's `error_description`, when it sent one.
    public var oauthErrorDescription: String? {
        if case .oauth(_, let description, _) = code { return description }
        return nil
    }

    /// The HTTP status of the response, when one arrived.
    public var status: Int? {
        switch code {
        case .oauth(_, _, let status), .malformedResponse(let status, _, _), .unexpectedStatus(let status, _):
            status
        case .transport, .invalidConfiguration, .inactiveToken:
            nil
        }
    }

    /// The underlying transport failure, for ``Kind/transport``.
    public var transportError: TransportError? {
        if case .transport(let error) = code { return error }
        return nil
    }

    /// Whether trying again unchanged can succeed: transport failures the transport calls retryable, and
    /// server-side trouble (5xx, 408, 420, 429, `temporarily_unavailable`, `server_error`). OAuth refusals and
    /// configuration errors need a fix first.
    public var isRetryable: Bool {
        switch code {
        case .transport(let error):
            return error.isRetryable
        case .oauth(let error, _, let status):
            return error == "temporarily_unavailable" || error == "server_error" || AuthError.isTransient(status)
        case .malformedResponse(let status, _, _), .unexpectedStatus(let status, _):
            return AuthError.isTransient(status)
        case .invalidConfiguration, .inactiveToken:
            return false
        }
    }

    /// What happened, in one sentence.
    public var whatHappened: String { explanation.what }

    /// What to do about it.
    public var remedy: String { explanation.fix }

    private var explanation: (what: String, fix: String) {
        switch code {
        case .oauth(let error, let description, let status):
            let (what, fix) = AuthError.explainOAuth(error: error, description: description ?? "", operation: operation)
            var detail = error
            if let description, !description.isEmpty { detail += ": \(description)" }
            return ("\(what) (HTTP \(status), \(detail))", fix)
        case .malformedResponse(let status, let problem, let excerpt):
            return (
                "the \(operation) answer (HTTP \(status)) is not a usable OAuth response: \(problem)"
                    + (excerpt.isEmpty ? "" : "; the body starts: \(excerpt)"),
                "check that the URL is the OAuth endpoint (<My Domain>/services/oauth2/...) and that nothing (a "
                    + "proxy, a login page) answers in its place; if the body is right, choose the matching "
                    + "expiry option (TokenExpiry)"
            )
        case .unexpectedStatus(let status, let excerpt):
            return (
                "the \(operation) got HTTP \(status) without an OAuth error body"
                    + (excerpt.isEmpty ? "" : "; the body starts: \(excerpt)"),
                AuthError.fixForStatus(status)
            )
        case .transport(let error):
            return (
                "the \(operation) got no response: \(error)",
                error.isRetryable
                    ? "retry; if it keeps failing, check the host name and the network"
                    : "fix the URL or the network setup before retrying"
            )
        case .invalidConfiguration(let problem, let fix):
            return (problem, fix)
        case .inactiveToken:
            return ("the introspection endpoint says the token is not active (expired or revoked)",
                    "fetch a new token; if a fresh token is reported inactive, check the introspection URL and client")
        }
    }

    private static func fixForStatus(_ status: Int) -> String {
        switch status {
        case 300..<400:
            "the endpoint redirects, which an OAuth endpoint never does: use the org's My Domain URL "
                + "(https://<your-domain>.my.salesforce.com) exactly"
        case 404:
            "check the URL: the token endpoint is <My Domain>/services/oauth2/token"
        case 401, 403:
            "check the client id and secret and the External Client App's policies"
        case 408, 420, 429, 500...:
            "the server is having trouble: retry later"
        default:
            "check the URL and the External Client App's configuration"
        }
    }

    private static func isTransient(_ status: Int) -> Bool {
        status >= 500 || status == 408 || status == 420 || status == 429
    }
}

extension AuthError: CustomStringConvertible {
    /// `<operation> to <endpoint> failed: <what happened>. Fix: <remedy>` (never containing a secret or token).
    public var description: String {
        let target = endpoint.isEmpty ? "" : " to \(endpoint)"
        switch kind.code {
        case .invalidConfiguration:
            return "invalid configuration: \(whatHappened). Fix: \(remedy)"
        default:
            return "\(operation)\(target) failed: \(whatHappened). Fix: \(remedy)"
        }
    }
}
