import FerryCore
/// What one attempt did for one item, as a destination judged the reply.
public enum DeliveryAttemptResult: Sendable, Hashable {
    /// Salesforce stored the record.
    case delivered(DeliveryReceipt)
    /// The attempt failed; ``DeliveryFailure/retryability`` says whether another can help.
    case failed(DeliveryFailure)
}

/// Proof of a delivery: what Salesforce answered.
public struct DeliveryReceipt: Sendable, Hashable, Codable {
    /// The HTTP status of the reply.
    public var status: Int
    /// The Salesforce record id, when the reply carried one.
    public var salesforceID: String?
    /// `true` when a record was created, `false` when an existing one was updated, `nil` when unknown.
    public var created: Bool?

    /// Creates a receipt.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - salesforceID: The record id, if known.
    ///   - created: Whether a record was created (`false`: updated), if known.
    public init(status: Int, salesforceID: String? = nil, created: Bool? = nil) {
        self.status = status
        self.salesforceID = salesforceID
        self.created = created
    }
}

/// Why an attempt failed, in terms a person can act on.
public struct DeliveryFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The HTTP status, or `nil` when no response arrived (a transport failure).
    public var status: Int?
    /// The Salesforce error code as received (`REQUIRED_FIELD_MISSING`, `APEX_ERROR`, ...), or one of Ferry's
    /// (``DeliveryErrorCode``: `TRANSPORT_TIMEOUT`, `PAYLOAD_TOO_LARGE`, ...) for failures that have none.
    public var errorCode: DeliveryErrorCode
    /// What happened and what to do.
    public var message: String
    /// Whether another attempt can help.
    public var retryability: Retryability
    /// The pause the server asked for (`Retry-After`), if any.
    public var retryAfter: Duration?

    /// Creates a failure.
    /// - Parameters:
    ///   - status: The HTTP status, or `nil` for a transport failure.
    ///   - errorCode: The Salesforce or Ferry error code.
    ///   - message: What happened and what to do.
    ///   - retryability: Whether another attempt can help.
    ///   - retryAfter: The server's `Retry-After`, if any.
    public init(
        status: Int?, errorCode: DeliveryErrorCode, message: String, retryability: Retryability,
        retryAfter: Duration? = nil
    ) {
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.retryability = retryability
        self.retryAfter = retryAfter
    }

    /// `CODE (HTTP status): message`.
    public var description: String {
        "\(errorCode)\(status.map { " (HTTP \($0))" } ?? ""): \(message)"
    }

    enum CodingKeys: String, CodingKey {
        case status, errorCode, message, retryability, retryAfterSeconds
    }

    /// Decodes a failure.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` for malformed input.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        errorCode = try container.decode(DeliveryErrorCode.self, forKey: .errorCode)
        message = try container.decode(String.self, forKey: .message)
        let kind = try container.decode(String.self, forKey: .retryability)
        retryability = [Retryability.final, .transient, .rateLimited].first { $0.description == kind } ?? .final
        retryAfter = try container.decodeIfPresent(Double.self, forKey: .retryAfterSeconds).map { .seconds($0) }
    }

    /// Encodes the failure.
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(message, forKey: .message)
        try container.encode(retryability.description, forKey: .retryability)
        try container.encodeIfPresent(retryAfter?.seconds, forKey: .retryAfterSeconds)
    }
}
