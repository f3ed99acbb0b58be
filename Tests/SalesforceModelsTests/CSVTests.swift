import Foundation
import SalesforceModels
import Testing

@Suite("CSV (RFC 4180)")
struct CSVTests {
    @Test(
        "records are split correctly",
        arguments: [
            ("a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
            ("a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]]),
            ("a,b\n1,2", [["a", "b"], ["1", "2"]]),
            ("a,b\r\n1,2", [["a", "b"], ["1", "2"]]),
            ("\"x, y\",\"He said \"\"hi\"\"\"\n", [["x, y", "He said \"hi\""]]),
            ("\"line 1\r\nline 2\",z\n", [["line 1\r\nline 2", "z"]]),
            ("\"line 1\nline 2\",z", [["line 1\nline 2", "z"]]),
            (",\n,,\n", [["", ""], ["", "", ""]]),
            ("a,", [["a", ""]]),
            ("\"\"\n", [[""]]),
            ("é,日本\n", [["é", "日本"]]),
            ("", []),
        ])
    func parses(text: String, records: [[String]]) throws {
        #expect(try CSVTable.parseRecords(text) == records)
    }

    @Test(
        "malformed CSV is refused with the line",
        arguments: [
            ("a,b\n\"open,2\n", "line 2: a quoted field is never closed"),
            ("a,b\n\"x\"y,2\n", "line 2: text after a closing quote"),
            ("a,b\nx\"y,2\n", "line 2: a quote inside an unquoted field"),
            ("a,b\n1,2,3\n", "record 2 has 3 fields but the header has 2"),
            ("", "the CSV is empty"),
        ])
    func malformed(text: String, hint: String) {
        do {
            _ = try CSVTable(parsing: text)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == .malformedCSV)
            #expect(error.message.contains(hint), "\(error.message)")
        }
    }

    @Test("the encoder quotes only when needed and round-trips")
    func encoder() throws {
        let rows = [["plain", "with,comma", "with \"quote\"", "multi\nline", " padded ", "crlf\r\n", ""]]
        let header = ["a", "b", "c", "d", "e", "f", "g"]
        let text = CSVEncoder().encode(header: header, rows: rows)
        #expect(text == "a,b,c,d,e,f,g\nplain,\"with,comma\",\"with \"\"quote\"\"\",\"multi\nline\",\" padded \",\"crlf\r\n\",\n")
        let table = try CSVTable(parsing: text)
        #expect(table.header == header)
        #expect(table.rows == rows)
        #expect(CSVEncoder(lineEnding: .crlf).encode(header: ["x"], rows: [["1"]]) == "x\r\n1\r\n")
    }

    @Test("extra blank lines at the end are not rows")
    func trailingBlankLines() throws {
        let table = try CSVTable(parsing: "a,b\n1,2\n\n\n")
        #expect(table.rows == [["1", "2"]])
        #expect(try CSVTable(parsing: "a\n1\n\n").rows == [["1"], [""]])  // one column: a blank line is an empty value
        #expect(throws: SalesforceResponseError.self) { try CSVTable(parsing: "a,b\n\n1,2\n") }
    }

    @Test("a byte-order mark is skipped and rows read as dictionaries")
    func bomAndDictionaries() throws {
        let table = try CSVTable(parsing: Data("\u{FEFF}sf__Id,Name\n001,Acme\n".utf8))
        #expect(table.header == ["sf__Id", "Name"])
        #expect(table.dictionaries == [["sf__Id": "001", "Name": "Acme"]])
    }
}

@Suite("Bulk API 2.0")
struct BulkTests {
    @Test("job info decodes, and terminal states stop polling")
    func jobInfo() throws {
        let body = Data(#"{"id":"7505g00000ABCDeAAH","operation":"upsert","object":"Feedback__c","createdById":"0055g000","createdDate":"2026-11-29T18:52:51.000+0000","systemModstamp":"2026-11-29T18:52:51.000+0000","state":"JobComplete","externalIdFieldName":"Delivery_Key__c","concurrencyMode":"Parallel","contentType":"CSV","apiVersion":66.0,"jobType":"V2Ingest","contentUrl":"services/data/v66.0/jobs/ingest/7505g00000ABCDeAAH/batches","lineEnding":"LF","columnDelimiter":"COMMA","numberRecordsProcessed":3,"numberRecordsFailed":1}"#.utf8)
        let info = try BulkIngestJobInfo.decode(from: body)
        #expect(info.id == "7505g00000ABCDeAAH")
        #expect(info.state == .jobComplete)
        #expect(info.state.isTerminal)
        #expect(info.externalIDFieldName == "Delivery_Key__c")
        #expect(info.numberRecordsProcessed == 3)
        #expect(info.numberRecordsFailed == 1)
        #expect(info.contentURL?.hasSuffix("/batches") == true)
        #expect(!BulkJobState.inProgress.isTerminal)
        #expect(!BulkJobState.open.isTerminal)
        #expect(BulkJobState.failed.isTerminal && BulkJobState.aborted.isTerminal)
        #expect(BulkJobState("SomethingNew").rawValue == "SomethingNew")
    }

    @Test("job info without its required members is refused")
    func badJobInfo() {
        #expect { try BulkIngestJobInfo.decode(from: Data(#"{"id":"750","state":"Open","object":"A__c"}"#.utf8)) } throws: {
            ($0 as? SalesforceResponseError)?.kind == .unexpectedShape && "\($0)".contains("\"operation\"")
        }
        #expect(throws: SalesforceResponseError.self) { try BulkIngestJobInfo.decode(from: Data("[]".utf8)) }
    }

    @Test("successful results: sf__Id, sf__Created and the fields")
    func successful() throws {
        let csv = "\"sf__Id\",\"sf__Created\",Delivery_Key__c,Comment__c\n\"a015g00000XYZabAAA\",\"true\",k1,\"Great, thanks\"\na015g00000XYZacAAA,false,k2,\"multi\nline\"\n"
        let rows = try BulkSuccessfulRow.parse(csv)
        #expect(rows.count == 2)
        #expect(rows[0].id == "a015g00000XYZabAAA")
        #expect(rows[0].created)
        #expect(rows[0].fields == ["Delivery_Key__c": "k1", "Comment__c": "Great, thanks"])
        #expect(!rows[1].created)
        #expect(rows[1].fields["Comment__c"] == "multi\nline")
    }

    @Test("failed results: sf__Error split into code, message and fields")
    func failed() throws {
        let csv = "\"sf__Id\",\"sf__Error\",Delivery_Key__c,Name\r\n\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",k3,\r\n\"a01\",\"STRING_TOO_LONG:Name: data value too large: xxx (max length=80):Name --\",k4,xxx\r\n\"\",\"INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--\",k5,\r\n\"\",\"Something without a code\",k6,\r\n"
        let rows = try BulkFailedRow.parse(csv)
        #expect(rows.count == 4)
        #expect(rows[0].id == nil)
        #expect(rows[0].error == SalesforceAPIError(errorCode: .requiredFieldMissing, message: "Required fields are missing: [Name]", fields: ["Name"]))
        #expect(rows[0].fields["Delivery_Key__c"] == "k3")
        #expect(rows[1].id == "a01")
        #expect(rows[1].error.errorCode == .stringTooLong)
        #expect(rows[1].error.message == "Name: data value too large: xxx (max length=80)")
        #expect(rows[1].error.fields == ["Name"])
        #expect(rows[2].error.errorCode == .invalidCrossReferenceKey)
        #expect(rows[2].error.message == "invalid cross reference id")
        #expect(rows[2].error.fields.isEmpty)
        #expect(rows[3].error.errorCode.rawValue == "UNKNOWN")
        #expect(rows[3].error.message == "Something without a code")
        #expect(rows[3].rawError == "Something without a code")
    }

    @Test("result CSVs without their sf__ columns are refused")
    func missingColumns() {
        #expect { try BulkSuccessfulRow.parse("Id,Name\n1,a\n") } throws: {
            ($0 as? SalesforceResponseError)?.kind == .unexpectedShape
        }
        #expect { try BulkFailedRow.parse("sf__Id,Name\n1,a\n") } throws: {
            ($0 as? SalesforceResponseError)?.kind == .unexpectedShape
        }
        #expect { try BulkFailedRow.parse("sf__Id,sf__Error\n\"1,a\n") } throws: {
            ($0 as? SalesforceResponseError)?.kind == .malformedCSV
        }
    }
}
