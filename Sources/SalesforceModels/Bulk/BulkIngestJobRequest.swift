import FerryCore

/// The body that creates a Bulk API 2.0 ingest job (`POST /services/data/vNN.N/jobs/ingest`):
/// `{"object":"Feedback__c","externalIdFieldName":"Delivery_Key__c","contentType":"CSV","operation":"upsert","lineEnding":"LF"}`.
///
/// After creating the job: `PUT .../batches` with the CSV, `PATCH` the job with `{"state":"UploadComplete"}`
/// (see ``uploadCompleteBody``), then poll until the state is terminal.
public struct BulkIngestJobRequest: Sendable, Hashable {
    /// What the job does with each row.
    public struct Operation: Sendable, Hashable, CustomStringConvertible {
        /// The operation as the API names it.
        public let rawValue: String
        /// Create records.
        public static let insert = Operation(rawValue: "insert")
        /// Create or update records matched by an external ID.
        public static let upsert = Operation(rawValue: "upsert")
        /// Update records by id.
        public static let update = Operation(rawValue: "update")
        /// Delete records by id.
        public static let delete = Operation(rawValue: "delete")
        /// The operation name.
        public var description: String { rawValue }
    }

    /// The object.
    public var object: APIName
    /// The operation.
    public var operation: Operation
    /// The external-ID field, required for upserts.
    public var externalIDField: APIName?
    /// The CSV line ending.
    public var lineEnding: CSVEncoder.LineEnding

    /// Creates a job request.
    /// - Parameters:
    ///   - object: The object.
    ///   - operation: The operation.
    ///   - externalIDField: The external-ID field (required for `.upsert`).
    ///   - lineEnding: The CSV line ending (default LF).
    /// - Throws: ``RecordEncodingError`` of kind ``RecordEncodingError/Kind/invalidValue`` for an upsert without
    ///   an external-ID field.
    public init(
        object: APIName, operation: Operation, externalIDField: APIName? = nil, lineEnding: CSVEncoder.LineEnding = .lf
    ) throws(RecordEncodingError) {
        if operation == .upsert && externalIDField == nil {
            throw RecordEncodingError(
                .invalidValue,
                "a Bulk API upsert job on \(object.fullName) needs the external-ID field that matches rows to records")
        }
        self.object = object
        self.operation = operation
        self.externalIDField = externalIDField
        self.lineEnding = lineEnding
    }

    /// The JSON body.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["object": .string(self.object.fullName)]
        if let externalIDField { object["externalIdFieldName"] = .string(externalIDField.fullName) }
        object["contentType"] = "CSV"
        object["operation"] = .string(operation.rawValue)
        object["lineEnding"] = .string(lineEnding.bulkAPIName)
        return .object(object)
    }

    /// `{"state":"UploadComplete"}`: the `PATCH` body that starts processing after the upload.
    public static let uploadCompleteBody: JSONValue = ["state": "UploadComplete"]

    /// `{"state":"Aborted"}`: the `PATCH` body that aborts a job.
    public static let abortBody: JSONValue = ["state": "Aborted"]

    /// Encodes records as the job's CSV: one column per field (in first-seen order), `#N/A` for a null (the Bulk
    /// API's way to clear a field), an empty cell for a field a record does not set.
    /// - Parameter records: The records (of this job's object).
    /// - Returns: The CSV text.
    public func csv(for records: [SObjectRecord]) -> String {
        var header: [String] = []
        var seen: [String: Int] = [:]
        for record in records {
            for field in record.fields where seen[field.name.fullName.lowercased()] == nil {
                seen[field.name.fullName.lowercased()] = header.count
                header.append(field.name.fullName)
            }
        }
        let encoder = CSVEncoder(lineEnding: lineEnding)
        var output = ""
        encoder.appendRecord(header, to: &output)
        for record in records {
            var row = [String](repeating: "", count: header.count)
            for field in record.fields {
                guard let column = seen[field.name.fullName.lowercased()] else { continue }
                row[column] = BulkIngestJobRequest.cell(field.value)
            }
            encoder.appendRecord(row, to: &output)
        }
        return output
    }

    static func cell(_ value: SObjectFieldValue) -> String {
        switch value {
        case .text(let text): text
        case .number(let number): number.text
        case .bool(let flag): flag ? "true" : "false"
        case .date(let date): date.description
        case .dateTime(let dateTime): dateTime.description
        case .null: "#N/A"
        }
    }
}
