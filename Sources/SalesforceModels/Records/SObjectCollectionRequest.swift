import FerryCore

/// The body of an sObject Collections create or upsert: `{"allOrNone":false,"records":[...]}`.
///
/// Salesforce takes at most 200 records per call, in at most 10 runs of consecutive records of the same type
/// (chunks); the results come back in request order. One call counts as one API request.
public struct SObjectCollectionRequest: Sendable, Hashable {
    /// The most records one call accepts.
    public static let maximumRecords = 200
    /// The most runs of consecutive same-type records one call accepts.
    public static let maximumChunks = 10

    /// The records, in order.
    public let records: [SObjectRecord]
    /// When `true`, one failure rolls back every record (`ALL_OR_NONE_OPERATION_ROLLED_BACK` on the others).
    public let allOrNone: Bool

    /// Creates a request, checking Salesforce's limits.
    /// - Parameters:
    ///   - records: 1 to 200 records.
    ///   - allOrNone: Roll back all records when one fails (default `false`: each record stands alone).
    /// - Throws: ``RecordEncodingError`` when there are no records, more than 200, or more than 10 chunks.
    public init(records: [SObjectRecord], allOrNone: Bool = false) throws(RecordEncodingError) {
        guard !records.isEmpty else {
            throw RecordEncodingError(.emptyCollection, "an sObject Collections call needs at least one record")
        }
        guard records.count <= SObjectCollectionRequest.maximumRecords else {
            throw RecordEncodingError(
                .tooManyRecords,
                "an sObject Collections call takes at most 200 records, got \(records.count); split them into calls of 200"
            )
        }
        let chunks = SObjectCollectionRequest.chunkCount(records)
        guard chunks <= SObjectCollectionRequest.maximumChunks else {
            throw RecordEncodingError(
                .tooManyChunks,
                "the records switch object type \(chunks - 1) times (\(chunks) chunks); Salesforce allows 10 chunks per call: sort the records by type first"
            )
        }
        self.records = records
        self.allOrNone = allOrNone
    }

    /// The number of runs of consecutive records with the same object type.
    /// - Parameter records: The records in order.
    /// - Returns: The chunk count.
    public static func chunkCount(_ records: [SObjectRecord]) -> Int {
        var count = 0
        var previous: String?
        for record in records {
            let type = record.type.fullName.lowercased()
            if type != previous { count += 1 }
            previous = type
        }
        return count
    }

    /// The JSON body.
    public var jsonValue: JSONValue {
        .object(["allOrNone": .bool(allOrNone), "records": .array(records.map(\.jsonValue))])
    }
}
