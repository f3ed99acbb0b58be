import Foundation
import Ferry

/// `ferry-bench records`: the SalesforceModels hot paths: date-time formatting (against Foundation's
/// `ISO8601DateFormatter` in the same run), mapping and encoding one record, and parsing a Bulk result CSV.
enum RecordsBenchmark {
    static let help = """
        USAGE: ferry-bench records [--iterations N]

        Formats date-times as yyyy-MM-ddTHH:mm:ss.SSSZ with SalesforceDateTime and with Foundation's
        ISO8601DateFormatter (the peer), maps and encodes an NPS record from a render context, and parses a
        1,000-row Bulk API successfulResults CSV. N iterations per run (default 200000; the CSV runs N/1000).
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var iterations = 200_000
        if let index = arguments.firstIndex(of: "--iterations") {
            guard index + 1 < arguments.count, let n = Int(arguments[index + 1]), n > 0 else {
                throw BenchError("--iterations needs a positive whole number")
            }
            iterations = n
        } else if let unknown = arguments.first {
            throw BenchError("unknown option '\(unknown)'\n\(help)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let dates = (0..<1024).map { Date(timeIntervalSince1970: 1_700_000_000 + Double($0) * 3_600.123) }
        // Both must write the same text before their speed means anything.
        for date in dates where SalesforceDateTime(date).description != formatter.string(from: date) {
            throw BenchError("SalesforceDateTime and ISO8601DateFormatter disagree on \(date)")
        }
        var index = 0
        let ferryDates = Measurement.run("date-time SalesforceDateTime", iterations: iterations) {
            index = (index &+ 1) & 1023
            _ = SalesforceDateTime(dates[index]).description
        }
        let foundationDates = Measurement.run("date-time ISO8601DateFormatter", iterations: iterations) {
            index = (index &+ 1) & 1023
            _ = formatter.string(from: dates[index])
        }
        let mapper = try NPSResponseMapper()
        let context: JSONValue = [
            "Profile": ["Identity": "user-8c1f2a77", "Name": "Jane Q. Doe"],
            "Event": ["User Rating": "9", "Comment": "Great \"app\"\nthanks", "Survey": "Q4", "Timestamp": "$D_1764442371"],
        ]
        let mapped = try Measurement.run("map+encode NPS record", iterations: iterations / 4) {
            _ = try mapper.map(context).jsonBody?.jsonData()
        }
        var csv = "\"sf__Id\",\"sf__Created\",Delivery_Key__c,Comment__c\n"
        for row in 0..<1000 { csv += "a015g00000XYZ\(row),true,key-\(row),\"Comment, with \"\"quotes\"\" \(row)\"\n" }
        let parsed = try Measurement.run("parse 1000-row result CSV", iterations: max(1, iterations / 1000)) {
            _ = try BulkSuccessfulRow.parse(csv)
        }
        for measurement in [ferryDates, foundationDates, mapped, parsed] { print(measurement.line) }
        print("datetime_ratio=\(format(ferryDates.opsPerSecond / foundationDates.opsPerSecond, 2))")
        print("record_map_encode_ops_per_sec=\(format(mapped.opsPerSecond, 0)) csv_rows_per_sec=\(format(parsed.opsPerSecond * 1000, 0))")
        return 0
    }
}
