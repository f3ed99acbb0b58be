import SalesforceModels

/// A record the org refused, as a DML statement reports it: the status code, message and fields Salesforce gives
/// (`REQUIRED_FIELD_MISSING` / "Required fields are missing: [Name]" / `["Name"]`, ...).
public struct SimulatedDMLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code, e.g. `STRING_TOO_LONG`.
    public let code: SalesforceErrorCode
    /// The message, exactly as Salesforce words it.
    public let message: String
    /// The fields concerned.
    public let fields: [String]

    /// Creates an error.
    /// - Parameters:
    ///   - code: The status code.
    ///   - message: The message.
    ///   - fields: The fields concerned.
    public init(_ code: SalesforceErrorCode, _ message: String, fields: [String] = []) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// The message of Apex's `DmlException` for an insert: "Insert failed. First exception on row 0; first
    /// error: CODE, message: [fields]".
    public var insertFailedMessage: String {
        "Insert failed. First exception on row 0; first error: \(code.rawValue), \(message): [\(fields.joined(separator: ", "))]"
    }

    /// `CODE: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
