import FerryCore
import Foundation

/// A Bulk API 2.0 ingest job as Salesforce describes it (creation reply and every poll).
public struct BulkIngestJobInfo: Sendable, Hashable {
    /// The job id.
    public var id: String
    /// The state.
    public var state: BulkJobState
    /// The object, e.g. `Feedback__c`.
    public var object: String
    /// The operation, e.g. `upsert`.
    public var operation: String
    /// The external-ID field of an upsert.
    public var externalIDFieldName: String?
    /// The line ending (`LF` or `CRLF`).
    public var lineEnding: String?
    /// Rows processed so far (successful and failed).
    public var numberRecordsProcessed: Int
    /// Rows that failed.
    public var numberRecordsFailed: Int
    /// Why the job failed, for state `Failed`.
    public var errorMessage: String?
    /// The path to upload CSV to (`services/data/vNN.N/jobs/ingest/<id>/batches`).
    public var contentURL: String?

    /// Creates job info.
    /// - Parameters:
    ///   - id: The job id.
    ///   - state: The state.
    ///   - object: The object.
    ///   - operation: The operation.
    ///   - externalIDFieldName: The external-ID field.
    ///   - lineEnding: The line ending.
    ///   - numberRecordsProcessed: Rows processed.
    ///   - numberRecordsFailed: Rows failed.
    ///   - errorMessage: Why the job failed.
    ///   - contentURL: The upload path.
    public init(
        id: String, state: BulkJobState, object: String, operation: String, externalIDFieldName: String? = nil,
        lineEnding: String? = nil, numberRecordsProcessed: Int = 0, numberRecordsFailed: Int = 0,
        errorMessage: String? = nil, contentURL: String? = nil
    ) {
        self.id = id
        self.state = state
        self.object = object
        self.operation = operation
        self.externalIDFieldName = externalIDFieldName
        self.lineEnding = lineEnding
        self.numberRecordsProcessed = numberRecordsProcessed
        self.numberRecordsFailed = numberRecordsFailed
        self.errorMessage = errorMessage
        self.contentURL = contentURL
    }

    /// Decodes job info.
    /// - Parameter body: The body.
    /// - Returns: The job info.
    /// - Throws: ``SalesforceResponseError`` when the body is not JSON or lacks a string `id`, `state`, `object`
    ///   or `operation`.
    public static func decode(from body: Data) throws(SalesforceResponseError) -> BulkIngestJobInfo {
        let value = try JSONBody.parse(body, expecting: "Bulk API 2.0 job info")
        guard value.objectValue != nil else {
            throw SalesforceResponseError(
                .unexpectedShape, "expected Bulk API 2.0 job info (an object), found a \(value.kindName)", body: body)
        }
        func required(_ key: String) throws(SalesforceResponseError) -> String {
            guard let text = value[key]?.stringValue else {
                throw SalesforceResponseError(
                    .unexpectedShape, "Bulk API 2.0 job info has no string \"\(key)\"", body: body)
            }
            return text
        }
        return BulkIngestJobInfo(
            id: try required("id"), state: BulkJobState(try required("state")), object: try required("object"),
            operation: try required("operation"), externalIDFieldName: value["externalIdFieldName"]?.stringValue,
            lineEnding: value["lineEnding"]?.stringValue,
            numberRecordsProcessed: value["numberRecordsProcessed"]?.intValue ?? 0,
            numberRecordsFailed: value["numberRecordsFailed"]?.intValue ?? 0,
            errorMessage: value["errorMessage"]?.stringValue, contentURL: value["contentUrl"]?.stringValue)
    }
}
