import FerryCore
import Foundation

/// The result of saving one record: `{"id":"a01...","success":true,"errors":[]}`, plus `"created"` for upserts.
///
/// Single-record create answers one of these with 201; upsert answers 201 (`created: true`), 200 with a body, or
/// 204 without one (older API versions); sObject Collections answers an array of them in request order, with
/// HTTP 200 even when some records failed.
public struct SaveResult: Sendable, Hashable, CustomStringConvertible {
    /// The record id, or `nil` when the save failed (or a 204 upsert gave no body).
    public var id: String?
    /// Whether the record was saved.
    public var success: Bool
    /// For upserts: `true` when a record was created, `false` when one was updated; `nil` when not reported.
    public var created: Bool?
    /// Why the save failed (empty on success). Per-record errors carry `statusCode`, decoded as the code.
    public var errors: [SalesforceAPIError]

    /// Creates a result.
    /// - Parameters:
    ///   - id: The record id.
    ///   - success: Whether the record was saved.
    ///   - created: For upserts, whether a record was created.
    ///   - errors: The errors.
    public init(id: String?, success: Bool, created: Bool? = nil, errors: [SalesforceAPIError] = []) {
        self.id = id
        self.success = success
        self.created = created
        self.errors = errors
    }

    /// Reads one result object.
    /// - Parameter value: The JSON object.
    /// - Returns: The result, or `nil` when `success` is missing or not a Boolean.
    public init?(json value: JSONValue) {
        guard let success = value["success"]?.boolValue else { return nil }
        self.id = value["id"]?.stringValue
        self.success = success
        self.created = value["created"]?.boolValue
        self.errors = value["errors"]?.arrayValue?.compactMap { SalesforceAPIError(json: $0) } ?? []
    }

    /// Decodes a single create or upsert result.
    /// - Parameter body: The body.
    /// - Returns: The result.
    /// - Throws: ``SalesforceResponseError`` when the body is not a result object.
    public static func decode(from body: Data) throws(SalesforceResponseError) -> SaveResult {
        let value = try JSONBody.parse(body, expecting: "a save result {\"id\",\"success\",\"errors\"}")
        guard let result = SaveResult(json: value) else {
            throw SalesforceResponseError(
                .unexpectedShape, "expected a save result object with a Boolean \"success\", found a \(value.kindName)",
                body: body)
        }
        return result
    }

    /// Decodes the answer to a successful single-record upsert: 201 or 200 with a result, or 204 without a body.
    /// - Parameters:
    ///   - status: The HTTP status (200, 201 or 204).
    ///   - body: The body (may be empty for 204).
    /// - Returns: The result; for an empty 204, `success: true, created: false`.
    /// - Throws: ``SalesforceResponseError`` when a non-empty body is not a result object.
    public static func decodeUpsert(status: Int, body: Data) throws(SalesforceResponseError) -> SaveResult {
        if body.isEmpty || (status == 204 && body.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D }) {
            return SaveResult(id: nil, success: true, created: status == 201)
        }
        var result = try decode(from: body)
        if result.created == nil { result.created = status == 201 }
        return result
    }

    /// Decodes sObject Collections results, which come in request order.
    /// - Parameters:
    ///   - body: The body (a JSON array).
    ///   - expectedCount: The number of records sent; when given, a different count is an error, since results
    ///     are matched to records by position.
    /// - Returns: One result per record, in request order.
    /// - Throws: ``SalesforceResponseError`` when the body is not an array of results or its length is wrong.
    public static func decodeCollection(from body: Data, expectedCount: Int? = nil) throws(SalesforceResponseError)
        -> [SaveResult]
    {
        let value = try JSONBody.parse(body, expecting: "an array of save results")
        guard let elements = value.arrayValue else {
            throw SalesforceResponseError(
                .unexpectedShape, "expected an array of save results, found a \(value.kindName)", body: body)
        }
        var results: [SaveResult] = []
        results.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard let result = SaveResult(json: element) else {
                throw SalesforceResponseError(
                    .unexpectedShape, "result \(index) is not a save result object with a Boolean \"success\"",
                    body: body)
            }
            results.append(result)
        }
        if let expectedCount, expectedCount != results.count {
            throw SalesforceResponseError(
                .countMismatch,
                "sent \(expectedCount) records but got \(results.count) results; results cannot be matched to records",
                body: body)
        }
        return results
    }

    /// `saved a01... (created)` or `failed: CODE: message`.
    public var description: String {
        if success {
            var text = "saved \(id ?? "(no id)")"
            if let created { text += created ? " (created)" : " (updated)" }
            return text
        }
        return "failed: " + (errors.isEmpty ? "no error given" : errors.map(\.description).joined(separator: "; "))
    }
}
