import FerryCore

/// Why an Apex REST delivery failed, with Salesforce's message, the Apex stack line when there is one, and
/// whether sending it again can help.
public struct ApexFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case errorString, recordRejected, notFound, apexError, sessionInvalid, limitExceeded, forbidden
            case badRequest, serverUnavailable, redirect, unexpectedStatus
        }
        let code: Code

        /// HTTP 200 whose body is `"Error: ..."`: the class caught an exception and stored nothing.
        public static let errorString = Kind(code: .errorString)
        /// HTTP 2xx whose JSON body says `"success": false` or lists errors.
        public static let recordRejected = Kind(code: .recordRejected)
        /// HTTP 404 `NOT_FOUND`: no class matched the URL (usually a missing namespace prefix).
        public static let notFound = Kind(code: .notFound)
        /// HTTP 500 `APEX_ERROR`: the class threw an exception it did not handle.
        public static let apexError = Kind(code: .apexError)
        /// HTTP 401 (`INVALID_SESSION_ID`): the access token expired or is invalid.
        public static let sessionInvalid = Kind(code: .sessionInvalid)
        /// HTTP 403 `REQUEST_LIMIT_EXCEEDED`: an API limit was hit.
        public static let limitExceeded = Kind(code: .limitExceeded)
        /// Any other HTTP 403: the Run As user may not call the class or write the object.
        public static let forbidden = Kind(code: .forbidden)
        /// HTTP 400: the payload was refused.
        public static let badRequest = Kind(code: .badRequest)
        /// HTTP 503 (or 502/420 from Salesforce's edge): temporarily unavailable.
        public static let serverUnavailable = Kind(code: .serverUnavailable)
        /// HTTP 3xx: a redirect or several external-ID matches; counted as a failure, as CleverTap does.
        public static let redirect = Kind(code: .redirect)
        /// Any other status.
        public static let unexpectedStatus = Kind(code: .unexpectedStatus)

        /// A short, stable name of the kind, safe as a metrics label.
        public var description: String { code.rawValue }
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// The HTTP status.
    public var status: Int
    /// Salesforce's or the class's message (e.g. `Required fields are missing: [Name]`).
    public var message: String
    /// The error code, when the body gave one.
    public var errorCode: SalesforceErrorCode?
    /// The Apex stack line of an `APEX_ERROR`, e.g. `Class.InsertNPSFeedback.doPost: line 49, column 1`.
    public var apexStackLine: String?
    /// Every error the body listed.
    public var errors: [SalesforceAPIError]
    /// Whether resending can help.
    public var retryAdvice: RetryAdvice
    /// What to do about it, in words.
    public var remedy: String

    /// Creates a failure.
    /// - Parameters:
    ///   - kind: The kind.
    ///   - status: The HTTP status.
    ///   - message: The message.
    ///   - errorCode: The error code.
    ///   - apexStackLine: The Apex stack line.
    ///   - errors: The errors the body listed.
    ///   - retryAdvice: Whether resending can help.
    ///   - remedy: What to do.
    public init(
        kind: Kind, status: Int, message: String, errorCode: SalesforceErrorCode? = nil, apexStackLine: String? = nil,
        errors: [SalesforceAPIError] = [], retryAdvice: RetryAdvice, remedy: String
    ) {
        self.kind = kind
        self.status = status
        self.message = message
        self.errorCode = errorCode
        self.apexStackLine = apexStackLine
        self.errors = errors
        self.retryAdvice = retryAdvice
        self.remedy = remedy
    }

    /// `HTTP 404 NOT_FOUND: Could not find a match for URL /InsertNPSFeedback. <remedy>`.
    public var description: String {
        var text = "HTTP \(status)"
        if let errorCode { text += " \(errorCode.rawValue)" }
        text += ": " + (message.isEmpty ? "(no message)" : message)
        if let apexStackLine { text += " [at \(apexStackLine)]" }
        if !remedy.isEmpty { text += ". " + remedy }
        return text
    }
}
