import FerryCore
import Foundation
import SalesforceModels

/// A Bulk API 2.0 ingest job inside a simulated org.
struct BulkJob {
    let id: String
    let object: String
    let operation: String
    let externalIDField: String?
    let lineEnding: String
    let createdDate: Date
    var state: BulkJobState = .open
    var uploads: [String] = []
    var pollsInProgress = 0
    var processed = 0
    var failed = 0
    var errorMessage: String?
    var successfulCSV = "\"sf__Id\",\"sf__Created\"\n"
    var failedCSV = "\"sf__Id\",\"sf__Error\"\n"
    var unprocessedCSV = ""

    func info(version: APIVersion) -> JSONValue {
        var object: JSONObject = [
            "id": .string(id), "operation": .string(operation), "object": .string(self.object),
            "createdById": "0055g00000RunAsAAQ", "createdDate": .string(SalesforceDateTime(createdDate).description),
            "systemModstamp": .string(SalesforceDateTime(createdDate).description), "state": .string(state.rawValue),
        ]
        if let externalIDField { object["externalIdFieldName"] = .string(externalIDField) }
        object["concurrencyMode"] = "Parallel"
        object["contentType"] = "CSV"
        object["apiVersion"] = .number(JSONNumber(Double(version.major) + Double(version.minor) / 10))
        object["contentUrl"] = .string("services/data/\(version)/jobs/ingest/\(id)/batches")
        object["lineEnding"] = .string(lineEnding)
        object["columnDelimiter"] = "COMMA"
        object["numberRecordsProcessed"] = .int(processed)
        object["numberRecordsFailed"] = .int(failed)
        if let errorMessage { object["errorMessage"] = .string(errorMessage) }
        return .object(object)
    }

    /// Every field quoted, as Salesforce writes result CSVs.
    static func row(_ fields: [String]) -> String {
        fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\n"
    }
}
