/// The code of a ``DeliveryFailure``: Salesforce's own code as received (`REQUIRED_FIELD_MISSING`,
/// `UNABLE_TO_LOCK_ROW`, ...), or one of Ferry's, all defined in this one place.
///
/// Compare with the constants (`failure.errorCode == .payloadTooLarge`) or with a string literal for Salesforce's
/// codes (`failure.errorCode == "DUPLICATE_VALUE"`). `Documentation/Troubleshooting.md` lists every constant and
/// family below with its cause and remedy (a test fails when one is missing).
public struct DeliveryErrorCode: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The code as text, e.g. `TRANSPORT_TIMEOUT`.
    public let rawValue: String

    /// A code from its text: Salesforce's codes are kept exactly as received.
    /// - Parameter rawValue: The code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A code from a string literal.
    /// - Parameter value: The code.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// A code Salesforce sent, kept as received.
    /// - Parameter code: Salesforce's `errorCode` (or `statusCode`).
    /// - Returns: The code.
    public static func salesforce(_ code: String) -> DeliveryErrorCode { DeliveryErrorCode(rawValue: code) }

    /// The code itself.
    public var description: String { rawValue }

    /// Decodes a code from a string.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the code as a string.
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

// MARK: - Ferry's codes

extension DeliveryErrorCode {
    /// Nothing more specific is known: an error of a type Ferry does not know, a failure Salesforce reported
    /// without a code or description, or a record left without a result. The message says what is known.
    /// (Replaces `UNKNOWN_ERROR`, `UNEXPECTED_ERROR`, `INTERNAL` and the CLI's `FAILED`.)
    public static let unknown: DeliveryErrorCode = "UNKNOWN"
    /// The attempt was cancelled before a reply arrived.
    public static let cancelled: DeliveryErrorCode = "CANCELLED"
    /// A custom ``Destination`` returned a different number of results than it was given items.
    public static let destinationContract: DeliveryErrorCode = "DESTINATION_CONTRACT"
    /// A durable outbox could not read an item back (its journal record is damaged).
    public static let outboxUnreadable: DeliveryErrorCode = "OUTBOX_UNREADABLE"
    /// The request would be over a documented Salesforce size limit; not sent.
    public static let payloadTooLarge: DeliveryErrorCode = "PAYLOAD_TOO_LARGE"
    /// The org's remaining daily API requests are at or below the reserve kept for its other integrations.
    public static let apiReserveReached: DeliveryErrorCode = "API_RESERVE_REACHED"
    /// The template could not render the context.
    public static let templateError: DeliveryErrorCode = "TEMPLATE_ERROR"
    /// A record mapper refused the context.
    public static let mappingError: DeliveryErrorCode = "MAPPING_ERROR"
    /// A ``RoutingDestination`` has no route for the item's routing key.
    public static let noRoute: DeliveryErrorCode = "NO_ROUTE"
    /// An sObject or Bulk payload is not a JSON object.
    public static let payloadNotObject: DeliveryErrorCode = "PAYLOAD_NOT_OBJECT"
    /// An upsert payload lacks the external ID field.
    public static let externalIDMissing: DeliveryErrorCode = "EXTERNAL_ID_MISSING"
    /// An upsert payload's external ID value cannot be put in a URL.
    public static let externalIDInvalid: DeliveryErrorCode = "EXTERNAL_ID_INVALID"
    /// Salesforce answered HTTP 300: several records share the external ID; nothing was written.
    public static let multipleChoices: DeliveryErrorCode = "MULTIPLE_CHOICES"
    /// A Collections reply could not be matched to its records.
    public static let unreadableResults: DeliveryErrorCode = "UNREADABLE_RESULTS"
    /// A Bulk API job could not be described (invalid object or field names).
    public static let bulkJobInvalid: DeliveryErrorCode = "BULK_JOB_INVALID"
    /// A Bulk API job's status reply could not be read.
    public static let bulkJobUnreadable: DeliveryErrorCode = "BULK_JOB_UNREADABLE"
    /// A Bulk API job ran longer than the destination waits.
    public static let bulkJobTimeout: DeliveryErrorCode = "BULK_JOB_TIMEOUT"
    /// A Bulk API job left the record unprocessed.
    public static let bulkUnprocessed: DeliveryErrorCode = "BULK_UNPROCESSED"
    /// A Bulk API job's results do not mention the record.
    public static let bulkResultMissing: DeliveryErrorCode = "BULK_RESULT_MISSING"
    /// `ferry send`: the run ended before the line was delivered.
    public static let notDelivered: DeliveryErrorCode = "NOT_DELIVERED"
    /// `ferry send`: the pipeline did not accept the line.
    public static let notAccepted: DeliveryErrorCode = "NOT_ACCEPTED"
    /// `ferry send`: the line is not valid JSON.
    public static let invalidJSON: DeliveryErrorCode = "INVALID_JSON"
    /// `ferry send`: the line is JSON but not a render context (an object).
    public static let invalidContext: DeliveryErrorCode = "INVALID_CONTEXT"
    /// `ferry send --order-by`: the line has no text or number at the path its ordering key is read from.
    public static let orderByMissing: DeliveryErrorCode = "ORDER_BY_MISSING"

    /// Every constant above, for documentation checks and tables.
    public static let all: [DeliveryErrorCode] = [
        .unknown, .cancelled, .destinationContract, .outboxUnreadable, .payloadTooLarge, .apiReserveReached,
        .templateError, .mappingError, .noRoute, .payloadNotObject, .externalIDMissing, .externalIDInvalid,
        .multipleChoices, .unreadableResults, .bulkJobInvalid, .bulkJobUnreadable, .bulkJobTimeout, .bulkUnprocessed,
        .bulkResultMissing, .notDelivered, .notAccepted, .invalidJSON, .invalidContext, .orderByMissing,
    ]
}

// MARK: - Families: a prefix and a part that names the cause

extension DeliveryErrorCode {
    /// The prefixes of the families below (`TRANSPORT_`, `AUTH_`, ...), for documentation checks.
    public static let familyPrefixes = ["TRANSPORT_", "AUTH_", "APEX_", "HTTP_", "BULK_JOB_"]

    /// `TRANSPORT_<KIND>`: no reply arrived (`TRANSPORT_TIMEOUT`, `TRANSPORT_CONNECTION_REFUSED`, ...).
    /// - Parameter kind: The transport error's kind (`connectionRefused`).
    /// - Returns: The code.
    public static func transport(_ kind: String) -> DeliveryErrorCode {
        DeliveryErrorCode(rawValue: "TRANSPORT_" + screamingSnake(kind))
    }

    /// `AUTH_<OAUTH_ERROR>` (`AUTH_INVALID_CLIENT`) or `AUTH_<KIND>` (`AUTH_MALFORMED_RESPONSE`): no token.
    /// - Parameters:
    ///   - oauthError: The OAuth `error` the token endpoint answered, if any.
    ///   - kind: The auth error's kind, used when there is no OAuth error.
    /// - Returns: The code.
    public static func auth(oauthError: String?, kind: String) -> DeliveryErrorCode {
        DeliveryErrorCode(rawValue: "AUTH_" + (oauthError?.uppercased() ?? screamingSnake(kind)))
    }

    /// `APEX_<KIND>` (`APEX_ERROR_STRING`, `APEX_RECORD_REJECTED`): an Apex REST reply judged a failure that
    /// carried no Salesforce code.
    /// - Parameter kind: The Apex failure's kind (`errorString`).
    /// - Returns: The code.
    public static func apex(_ kind: String) -> DeliveryErrorCode {
        DeliveryErrorCode(rawValue: "APEX_" + screamingSnake(kind))
    }

    /// `HTTP_<STATUS>` (`HTTP_502`): an unsuccessful reply without a Salesforce error body.
    /// - Parameter status: The HTTP status.
    /// - Returns: The code.
    public static func http(_ status: Int) -> DeliveryErrorCode { DeliveryErrorCode(rawValue: "HTTP_\(status)") }

    /// `BULK_JOB_<STATE>` (`BULK_JOB_FAILED`, `BULK_JOB_ABORTED`): a Bulk API job ended without completing.
    /// - Parameter state: The job's final state (`Failed`).
    /// - Returns: The code.
    public static func bulkJobEnded(_ state: String) -> DeliveryErrorCode {
        DeliveryErrorCode(rawValue: "BULK_JOB_" + state.uppercased())
    }

    /// `connectionRefused` → `CONNECTION_REFUSED`, `invalidURL` → `INVALID_URL`, `URLError` → `URL_ERROR`: an
    /// acronym stays one word.
    static func screamingSnake(_ camel: String) -> String {
        let characters = Array(camel)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the last capital
                // of an acronym followed by a lower-case letter.
                if !previous.isUppercase || (next?.isLowercase ?? false) { result.append("_") }
            }
            result.append(contentsOf: character.uppercased())
        }
        return result
    }
}
