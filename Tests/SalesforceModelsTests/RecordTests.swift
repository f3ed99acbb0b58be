import FerryCore
import Foundation
import SalesforceModels
import Testing

@Suite("Dates and date-times")
struct DateTests {
    @Test(
        "date-times are always written yyyy-MM-ddTHH:mm:ss.SSSZ in UTC",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000Z"),
            (1_764_442_371_123, "2025-11-29T18:52:51.123Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (-2_208_988_800_000, "1900-01-01T00:00:00.000Z"),
            (32_503_680_000_000, "3000-01-01T00:00:00.000Z"),
        ])
    func formats(milliseconds: Int64, text: String) {
        let value = SalesforceDateTime(millisecondsSince1970: milliseconds)
        #expect(value.description == text)
        #expect(SalesforceDateTime(text) == value)
    }

    @Test("every date-time form Salesforce emits or accepts is read")
    func parses() {
        let expected = SalesforceDateTime(millisecondsSince1970: 1_764_442_371_000)
        #expect(SalesforceDateTime("2025-11-29T18:52:51.000+0000") == expected)
        #expect(SalesforceDateTime("2025-11-29T18:52:51Z") == expected)
        #expect(SalesforceDateTime("2025-11-30T00:22:51.000+05:30") == expected)
        #expect(SalesforceDateTime("2025-11-29T13:52:51-05:00") == expected)
        #expect(SalesforceDateTime("2025-11-29T18:52:51.1234567Z")?.millisecondsSince1970 == 1_764_442_371_123)
        #expect(SalesforceDateTime("2025-11-29T18:52:51.5Z")?.millisecondsSince1970 == 1_764_442_371_500)
    }

    @Test(
        "malformed date-times are refused",
        arguments: [
            "", "2025-11-29", "2025-11-29 18:52:51Z", "2025-11-29T18:52:51", "2025-11-29T24:00:00Z",
            "2025-02-30T00:00:00Z", "2025-11-29T18:52:51.Z", "2025-11-29T18:52:51+5", "2025-11-29T18:52:51Zjunk",
        ])
    func refused(text: String) {
        #expect(SalesforceDateTime(text) == nil)
    }

    @Test("a Date converts arithmetically, to the millisecond")
    func fromDate() {
        let date = Date(timeIntervalSince1970: 1_764_442_371.1239)
        #expect(SalesforceDateTime(date).description == "2025-11-29T18:52:51.123Z")
        #expect(SalesforceDateTime(date).date.timeIntervalSince1970 == 1_764_442_371.123)
    }

    @Test("dates are yyyy-MM-dd and must exist")
    func dates() {
        #expect(SalesforceDate("2024-02-29")?.description == "2024-02-29")
        #expect(SalesforceDate(year: 2026, month: 1, day: 5)?.description == "2026-01-05")
        for bad in ["2023-02-29", "2026-13-01", "2026-1-05", "26-01-05", "2026/01/05", "1699-12-31", "2026-01-00"] {
            #expect(SalesforceDate(bad) == nil, "\(bad)")
        }
        #expect(SalesforceDate(utc: Date(timeIntervalSince1970: 1_764_460_799))?.description == "2025-11-29")
        #expect(SalesforceDate(utc: Date(timeIntervalSince1970: -1))?.description == "1969-12-31")
        #expect(SalesforceDate("2025-11-29")! < SalesforceDate("2025-11-30")!)  // literals above are valid dates
    }
}

@Suite("SObjectRecord")
struct SObjectRecordTests {
    @Test("a record encodes with attributes.type and its fields in order")
    func encodes() throws {
        var record = try SObjectRecord(type: "Feedback__c")
        try record.set("Name", to: .text("NPS-user-1"))
        try record.set("Score__c", to: .int(9))
        try record.set("Amount__c", to: try #require(.decimal("12345678901234567890.25")))
        try record.set("Promoter__c", to: .bool(true))
        try record.set("Day__c", to: .date(try #require(SalesforceDate("2026-11-29"))))
        try record.set("At__c", to: .dateTime(SalesforceDateTime(millisecondsSince1970: 1_764_442_371_000)))
        try record.set("Comment__c", to: .null)
        try record.set("Quote__c", to: .text("He said \"hi\"\n"))
        #expect(
            record.jsonValue.jsonString()
                == #"{"attributes":{"type":"Feedback__c"},"Name":"NPS-user-1","Score__c":9,"Amount__c":12345678901234567890.25,"Promoter__c":true,"Day__c":"2026-11-29","At__c":"2025-11-29T18:52:51.000Z","Comment__c":null,"Quote__c":"He said \"hi\"\n"}"#)
        #expect(record.jsonValue(includingAttributes: false)["attributes"] == nil)
    }

    @Test("setting a field again replaces it in place, names compare without case")
    func replaces() throws {
        var record = try SObjectRecord(type: "Feedback__c")
        try record.set("Score__c", to: .int(1))
        try record.set("Comment__c", to: .text("a"))
        try record.set("score__C", to: .int(2))
        #expect(record.fields.map(\.name.fullName) == ["Score__c", "Comment__c"])
        #expect(record["SCORE__c"] == .int(2))
        #expect(record.remove("comment__c") == .text("a"))
        #expect(record.remove("missing__c") == nil)
        #expect(record.fields.count == 1)
    }

    @Test("invalid object and field names are refused")
    func invalidNames() throws {
        #expect(throws: APINameError.self) { try SObjectRecord(type: "Feed back__c") }
        var record = try SObjectRecord(type: "Feedback__c")
        #expect(throws: APINameError.self) { try record.set("User Rating__c", to: .int(1)) }
    }

    @Test("decimal text is kept exactly; non-numbers are refused")
    func decimals() {
        #expect(SObjectFieldValue.decimal("0.1")?.jsonValue.jsonString() == "0.1")
        #expect(SObjectFieldValue.decimal(" 42 ")?.jsonValue.jsonString() == "42")
        #expect(SObjectFieldValue.decimal("3.14159265358979323846")?.jsonValue.jsonString() == "3.14159265358979323846")
        for bad in ["1,5", "NaN", "0x1F", "", "1e"] { #expect(SObjectFieldValue.decimal(bad) == nil) }
    }

    @Test("a Date value becomes a millisecond UTC date-time")
    func dateValue() {
        let value = SObjectFieldValue.dateTime(Date(timeIntervalSince1970: 0.25))
        #expect(value.jsonValue == .string("1970-01-01T00:00:00.250Z"))
    }
}

@Suite("Collections and Bulk request bodies")
struct RequestBodyTests {
    func record(_ type: String, _ score: Int) throws -> SObjectRecord {
        var record = try SObjectRecord(type: type)
        try record.set("Score__c", to: .int(score))
        return record
    }

    @Test("the Collections body matches Salesforce's shape")
    func collectionsBody() throws {
        let request = try SObjectCollectionRequest(records: [try record("Feedback__c", 9), try record("Feedback__c", 7)])
        #expect(
            request.jsonValue.jsonString()
                == #"{"allOrNone":false,"records":[{"attributes":{"type":"Feedback__c"},"Score__c":9},{"attributes":{"type":"Feedback__c"},"Score__c":7}]}"#)
    }

    @Test("Collections limits: 1 to 200 records, at most 10 chunks")
    func collectionsLimits() throws {
        #expect { try SObjectCollectionRequest(records: []) } throws: {
            ($0 as? RecordEncodingError)?.kind == .emptyCollection
        }
        let many = try (0..<201).map { try record("Feedback__c", $0) }
        #expect { try SObjectCollectionRequest(records: many) } throws: {
            ($0 as? RecordEncodingError)?.kind == .tooManyRecords
        }
        #expect(try SObjectCollectionRequest(records: Array(many.prefix(200))).records.count == 200)
        let alternating = try (0..<11).map { try record($0 % 2 == 0 ? "A__c" : "B__c", $0) }
        #expect(SObjectCollectionRequest.chunkCount(alternating) == 11)
        #expect { try SObjectCollectionRequest(records: alternating) } throws: {
            ($0 as? RecordEncodingError)?.kind == .tooManyChunks && "\($0)".contains("sort the records by type")
        }
        #expect(try SObjectCollectionRequest(records: Array(alternating.prefix(10)), allOrNone: true).allOrNone)
    }

    @Test("the Bulk job body matches Salesforce's example")
    func bulkJob() throws {
        let job = try BulkIngestJobRequest(
            object: try APIName("Feedback__c"), operation: .upsert, externalIDField: try APIName("Delivery_Key__c"))
        #expect(
            job.jsonValue.jsonString()
                == #"{"object":"Feedback__c","externalIdFieldName":"Delivery_Key__c","contentType":"CSV","operation":"upsert","lineEnding":"LF"}"#)
        #expect(BulkIngestJobRequest.uploadCompleteBody.jsonString() == #"{"state":"UploadComplete"}"#)
        #expect { try BulkIngestJobRequest(object: try APIName("Feedback__c"), operation: .upsert) } throws: {
            ($0 as? RecordEncodingError)?.kind == .invalidValue
        }
    }

    @Test("records become the Bulk CSV: union of columns, #N/A for null, quoting")
    func bulkCSV() throws {
        var first = try SObjectRecord(type: "Feedback__c")
        try first.set("Key__c", to: .text("k1"))
        try first.set("Comment__c", to: .text("Hello, \"world\"\nbye"))
        var second = try SObjectRecord(type: "Feedback__c")
        try second.set("Key__c", to: .text("k2"))
        try second.set("Score__c", to: .int(9))
        try second.set("Comment__c", to: .null)
        let job = try BulkIngestJobRequest(object: try APIName("Feedback__c"), operation: .insert, lineEnding: .crlf)
        let csv = job.csv(for: [first, second])
        #expect(csv == "Key__c,Comment__c,Score__c\r\nk1,\"Hello, \"\"world\"\"\nbye\",\r\nk2,#N/A,9\r\n")
        let table = try CSVTable(parsing: csv)
        #expect(table.rows[0][1] == "Hello, \"world\"\nbye")
    }
}
