/// A Salesforce error code such as `REQUIRED_FIELD_MISSING`: the known codes as static members, any other code
/// kept as it came (new codes appear every release).
///
/// ```swift
/// let code = SalesforceErrorCode("UNABLE_TO_LOCK_ROW")
/// code == .unableToLockRow     // true
/// code.retryAdvice             // .retry
/// SalesforceErrorCode("SOME_NEW_CODE").isKnown   // false
/// ```
public struct SalesforceErrorCode: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The code as Salesforce sends it.
    public let rawValue: String

    /// Wraps a code.
    /// - Parameter rawValue: The code, e.g. `INVALID_SESSION_ID`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Wraps a code literal.
    /// - Parameter value: The code.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// 403: an API limit was hit ("TotalRequests Limit exceeded." daily, or "ConcurrentPerOrgLongTxn Limit
    /// exceeded" for concurrent long requests). Salesforce does not use 429.
    public static let requestLimitExceeded: SalesforceErrorCode = "REQUEST_LIMIT_EXCEEDED"
    /// 401: the access token expired or is invalid ("Session expired or invalid").
    public static let invalidSessionID: SalesforceErrorCode = "INVALID_SESSION_ID"
    /// A required field has no value ("Required fields are missing: [Name]").
    public static let requiredFieldMissing: SalesforceErrorCode = "REQUIRED_FIELD_MISSING"
    /// A unique field already holds the value on another record.
    public static let duplicateValue: SalesforceErrorCode = "DUPLICATE_VALUE"
    /// A value is longer than its field ("data value too large: ... (max length=80)").
    public static let stringTooLong: SalesforceErrorCode = "STRING_TOO_LONG"
    /// Another transaction holds a lock on the record (transient).
    public static let unableToLockRow: SalesforceErrorCode = "UNABLE_TO_LOCK_ROW"
    /// 503: the server is unavailable (maintenance, overload).
    public static let serverUnavailable: SalesforceErrorCode = "SERVER_UNAVAILABLE"
    /// 400: the body is not valid JSON, or a value has the wrong form (e.g. a `+0000` date-time).
    public static let jsonParserError: SalesforceErrorCode = "JSON_PARSER_ERROR"
    /// A field name that does not exist on the object (or the user cannot see it).
    public static let invalidField: SalesforceErrorCode = "INVALID_FIELD"
    /// A record id of the wrong form.
    public static let malformedID: SalesforceErrorCode = "MALFORMED_ID"
    /// An object name that does not exist (or the user cannot see it).
    public static let invalidType: SalesforceErrorCode = "INVALID_TYPE"
    /// The Run As user lacks permission on the object, field or record.
    public static let insufficientAccess: SalesforceErrorCode = "INSUFFICIENT_ACCESS"
    /// The Run As user lacks permission or the record is read-only.
    public static let insufficientAccessOrReadonly: SalesforceErrorCode = "INSUFFICIENT_ACCESS_OR_READONLY"
    /// A validation rule rejected the record.
    public static let fieldCustomValidationException: SalesforceErrorCode = "FIELD_CUSTOM_VALIDATION_EXCEPTION"
    /// A duplicate rule blocked the record.
    public static let duplicatesDetected: SalesforceErrorCode = "DUPLICATES_DETECTED"
    /// A value that is not in a restricted picklist.
    public static let invalidOrNullForRestrictedPicklist: SalesforceErrorCode =
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    /// A field that cannot be written (formula, auto-number, system field).
    public static let invalidFieldForInsertUpdate: SalesforceErrorCode = "INVALID_FIELD_FOR_INSERT_UPDATE"
    /// 404: the URL matched nothing (for Apex REST, usually a missing namespace prefix).
    public static let notFound: SalesforceErrorCode = "NOT_FOUND"
    /// 500: an Apex class threw an exception it did not handle.
    public static let apexError: SalesforceErrorCode = "APEX_ERROR"
    /// In an all-or-none call, this record was fine but was rolled back because another failed.
    public static let allOrNoneOperationRolledBack: SalesforceErrorCode = "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    /// 405: the URL does not accept the method.
    public static let methodNotAllowed: SalesforceErrorCode = "METHOD_NOT_ALLOWED"
    /// 415: the body's content type is not accepted.
    public static let unsupportedMediaType: SalesforceErrorCode = "UNSUPPORTED_MEDIA_TYPE"
    /// An email field holds a value that is not an email address.
    public static let invalidEmailAddress: SalesforceErrorCode = "INVALID_EMAIL_ADDRESS"
    /// A lookup or id points to a record that does not exist.
    public static let invalidCrossReferenceKey: SalesforceErrorCode = "INVALID_CROSS_REFERENCE_KEY"
    /// A trigger or flow failed while saving the record.
    public static let cannotInsertUpdateActivateEntity: SalesforceErrorCode = "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY"
    /// The org is out of data storage.
    public static let storageLimitExceeded: SalesforceErrorCode = "STORAGE_LIMIT_EXCEEDED"
    /// The org's edition or the user's profile has no API access.
    public static let apiDisabledForOrg: SalesforceErrorCode = "API_DISABLED_FOR_ORG"
    /// The `Authorization` header is missing or malformed.
    public static let invalidAuthHeader: SalesforceErrorCode = "INVALID_AUTH_HEADER"
    /// A value of the wrong type for its field (text into a number).
    public static let invalidTypeOnFieldInRecord: SalesforceErrorCode = "INVALID_TYPE_ON_FIELD_IN_RECORD"

    /// Every code Ferry knows, with its advice.
    static let advice: [String: RetryAdvice] = [
        "REQUEST_LIMIT_EXCEEDED": .retryAfterLongerPause,
        "INVALID_SESSION_ID": .refreshTokenAndReplayOnce,
        "UNABLE_TO_LOCK_ROW": .retry,
        "SERVER_UNAVAILABLE": .retry,
        "ALL_OR_NONE_OPERATION_ROLLED_BACK": .retry,
        "REQUIRED_FIELD_MISSING": .final,
        "DUPLICATE_VALUE": .final,
        "STRING_TOO_LONG": .final,
        "JSON_PARSER_ERROR": .final,
        "INVALID_FIELD": .final,
        "MALFORMED_ID": .final,
        "INVALID_TYPE": .final,
        "INSUFFICIENT_ACCESS": .final,
        "INSUFFICIENT_ACCESS_OR_READONLY": .final,
        "FIELD_CUSTOM_VALIDATION_EXCEPTION": .final,
        "DUPLICATES_DETECTED": .final,
        "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST": .final,
        "INVALID_FIELD_FOR_INSERT_UPDATE": .final,
        "NOT_FOUND": .final,
        "APEX_ERROR": .final,
        "METHOD_NOT_ALLOWED": .final,
        "UNSUPPORTED_MEDIA_TYPE": .final,
        "INVALID_EMAIL_ADDRESS": .final,
        "INVALID_CROSS_REFERENCE_KEY": .final,
        "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY": .final,
        "STORAGE_LIMIT_EXCEEDED": .final,
        "API_DISABLED_FOR_ORG": .final,
        "INVALID_AUTH_HEADER": .final,
        "INVALID_TYPE_ON_FIELD_IN_RECORD": .final,
    ]

    /// Every known code.
    public static var knownCodes: [SalesforceErrorCode] { advice.keys.sorted().map { SalesforceErrorCode($0) } }

    /// Whether Ferry knows this code.
    public var isKnown: Bool { SalesforceErrorCode.advice[rawValue] != nil }

    /// Whether retrying can help: `.retry` for `UNABLE_TO_LOCK_ROW`, `SERVER_UNAVAILABLE` and a rolled-back
    /// record of an all-or-none call; `.retryAfterLongerPause` for `REQUEST_LIMIT_EXCEEDED`;
    /// `.refreshTokenAndReplayOnce` for `INVALID_SESSION_ID`; `.final` for every other known code and for unknown
    /// codes (use ``RetryAdvice/forStatus(_:)`` with the HTTP status for those).
    public var retryAdvice: RetryAdvice { SalesforceErrorCode.advice[rawValue] ?? .final }

    /// The code as Salesforce sends it.
    public var description: String { rawValue }
}
