import FerryCore
import Foundation

/// One error as Salesforce reports it: `{"message":"...","errorCode":"...","fields":["F__c"]}` in error bodies,
/// or `{"statusCode":"...","message":"...","fields":[...]}` in per-record results.
public struct SalesforceAPIError: Sendable, Hashable, CustomStringConvertible {
    /// The code, e.g. ``SalesforceErrorCode/requiredFieldMissing``; unknown codes are kept as they came.
    public var errorCode: SalesforceErrorCode
    /// Salesforce's message, e.g. `Required fields are missing: [Name]`.
    public var message: String
    /// The fields the error concerns (often empty).
    public var fields: [String]

    /// Creates an error.
    /// - Parameters:
    ///   - errorCode: The code.
    ///   - message: The message.
    ///   - fields: The fields concerned.
    public init(errorCode: SalesforceErrorCode, message: String, fields: [String] = []) {
        self.errorCode = errorCode
        self.message = message
        self.fields = fields
    }

    /// Whether retrying can help (from the code).
    public var retryAdvice: RetryAdvice { errorCode.retryAdvice }

    /// `CODE: message (fields: A, B)`.
    public var description: String {
        var text = "\(errorCode.rawValue): \(message)"
        if !fields.isEmpty { text += " (fields: \(fields.joined(separator: ", ")))" }
        return text
    }

    /// Reads one error object.
    /// - Parameter value: An object with `message` and `errorCode` or `statusCode`.
    /// - Returns: The error, or `nil` when the value is not an error object.
    public init?(json value: JSONValue) {
        guard let object = value.objectValue else { return nil }
        let code = object["errorCode"]?.stringValue ?? object["statusCode"]?.stringValue
        let message = object["message"]?.stringValue
        guard code != nil || message != nil else { return nil }
        self.errorCode = SalesforceErrorCode(code ?? "UNKNOWN")
        self.message = message ?? ""
        self.fields = object["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Decodes an error body: the usual array `[{"message","errorCode","fields"}]` or a single error object.
    /// - Parameter body: The response body.
    /// - Returns: The errors, in order (at least one).
    /// - Throws: ``SalesforceResponseError`` when the body is empty, not JSON, or not an error shape.
    public static func decodeAll(from body: Data) throws(SalesforceResponseError) -> [SalesforceAPIError] {
        let value = try JSONBody.parse(body, expecting: "a Salesforce error array [{\"message\",\"errorCode\"}]")
        switch value {
        case .array(let elements):
            var errors: [SalesforceAPIError] = []
            for (index, element) in elements.enumerated() {
                guard let error = SalesforceAPIError(json: element) else {
                    throw SalesforceResponseError(
                        .unexpectedShape,
                        "element \(index) of the error array is a \(element.kindName) without message or errorCode",
                        body: body)
                }
                errors.append(error)
            }
            guard !errors.isEmpty else {
                throw SalesforceResponseError(.unexpectedShape, "the error array is empty", body: body)
            }
            return errors
        case .object:
            guard let error = SalesforceAPIError(json: value) else {
                throw SalesforceResponseError(
                    .unexpectedShape, "the error object has neither message nor errorCode", body: body)
            }
            return [error]
        default:
            throw SalesforceResponseError(
                .unexpectedShape, "expected an error array or object, found a \(value.kindName)", body: body)
        }
    }
}

/// Shared JSON body parsing with clear errors.
enum JSONBody {
    static func parse(_ body: Data, expecting: String) throws(SalesforceResponseError) -> JSONValue {
        guard !body.isEmpty else {
            throw SalesforceResponseError(.emptyBody, "expected \(expecting), got an empty body", body: body)
        }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw SalesforceResponseError(
                .malformedJSON, "expected \(expecting), but the body is not JSON (\(error))", body: body)
        }
    }
}
