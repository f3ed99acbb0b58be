import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: Bulk API 2.0 ingest")
struct BulkTests {
    @Test("a job goes Open, UploadComplete, InProgress, JobComplete and gives result CSVs")
    func lifecycle() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let created = try await org.call(.post, "\(v66)/jobs/ingest", json: [
            "object": "Feedback__c", "externalIdFieldName": "Delivery_Key__c", "contentType": "CSV",
            "operation": "upsert", "lineEnding": "LF",
        ], token: token)
        #expect(created.status == 200)
        let job = try BulkIngestJobInfo.decode(from: created.body)
        #expect(job.state == .open)
        #expect(job.id.hasPrefix("750"))
        let jobPath = "\(v66)/jobs/ingest/\(job.id)"
        let csv = "Name,Score__c,Delivery_Key__c\n\"Smith, J\",9,K1\n,3,K2\nLong,nine,K3\n"
        let upload = try await org.call(.put, "\(jobPath)/batches", text: csv, token: token, headers: ["Content-Type": "text/csv"])
        #expect(upload.status == 201)
        let closed = try await org.call(.patch, jobPath, json: ["state": "UploadComplete"], token: token)
        #expect(closed.json?["state"] == "UploadComplete")
        let early = try await org.call(.get, "\(jobPath)/successfulResults/", token: token)
        #expect(early.status == 400)
        let polls = [
            try await org.call(.get, jobPath, token: token), try await org.call(.get, jobPath, token: token),
        ].map { try? BulkIngestJobInfo.decode(from: $0.body) }
        #expect(polls.map(\.?.state) == [.inProgress, .jobComplete])
        #expect(polls.last??.numberRecordsProcessed == 3)
        #expect(polls.last??.numberRecordsFailed == 2)
        let successes = try BulkSuccessfulRow.parse(try await org.call(.get, "\(jobPath)/successfulResults/", token: token).bodyText)
        #expect(successes.count == 1)
        #expect(successes.first?.created == true)
        #expect(successes.first?.fields == ["Name": "Smith, J", "Score__c": "9", "Delivery_Key__c": "K1"])
        let failures = try BulkFailedRow.parse(try await org.call(.get, "\(jobPath)/failedResults/", token: token).bodyText)
        #expect(failures.map(\.error.errorCode.rawValue) == ["REQUIRED_FIELD_MISSING", "INVALID_TYPE_ON_FIELD_IN_RECORD"])
        #expect(failures.first?.error.fields == ["Name"])
        #expect(failures.last?.rawError == "INVALID_TYPE_ON_FIELD_IN_RECORD:Score: value not of required type: nine:Score__c --")
        let unprocessed = try await org.call(.get, "\(jobPath)/unprocessedrecords/", token: token)
        #expect(try CSVTable(parsing: unprocessed.bodyText).rows.isEmpty)
        let stored = org.records(of: "Feedback__c")
        #expect(stored.map(\.id) == successes.map(\.id))
        #expect(stored.first?.fields == ["Name": "Smith, J", "Score__c": 9, "Delivery_Key__c": "K1"])
    }

    @Test("a header naming an unknown field fails the job; an aborted job leaves its rows unprocessed")
    func failedAndAborted() async throws {
        let org = try Fixture.org(clock: ManualClock()) { $0.bulkPollsBeforeCompletion = 0 }
        let token = try await org.accessToken()
        func job() async throws -> String {
            let created = try await org.call(
                .post, "\(v66)/jobs/ingest", json: ["object": "Feedback__c", "operation": "insert", "contentType": "CSV"],
                token: token)
            return "\(v66)/jobs/ingest/" + (try BulkIngestJobInfo.decode(from: created.body).id)
        }
        let bad = try await job()
        _ = try await org.call(.put, "\(bad)/batches", text: "Name,Bogus__c\na,b\n", token: token)
        _ = try await org.call(.patch, bad, json: ["state": "UploadComplete"], token: token)
        let info = try BulkIngestJobInfo.decode(from: try await org.call(.get, bad, token: token).body)
        #expect(info.state == .failed)
        #expect(info.errorMessage == "InvalidBatch : Field name not found : Bogus__c")

        let aborted = try await job()
        _ = try await org.call(.put, "\(aborted)/batches", text: "Name\na\n", token: token)
        let abort = try await org.call(.patch, aborted, json: ["state": "Aborted"], token: token)
        #expect(abort.json?["state"] == "Aborted")
        let rows = try await org.call(.get, "\(aborted)/unprocessedrecords/", token: token)
        #expect(rows.bodyText == "Name\na\n")
        #expect(org.records(of: "Feedback__c").isEmpty)
        let reopen = try await org.call(.patch, aborted, json: ["state": "UploadComplete"], token: token)
        #expect(reopen.status == 400)
        #expect(reopen.json?[0]?["errorCode"] == "INVALIDJOBSTATE")
    }

    @Test("an upsert job needs an external-ID field; unknown objects are refused")
    func invalidJobs() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let noKey = try await org.call(.post, "\(v66)/jobs/ingest", json: ["object": "Feedback__c", "operation": "upsert"], token: token)
        #expect(noKey.status == 400)
        #expect(noKey.json?[0]?["errorCode"] == "INVALIDJOB")
        let unknown = try await org.call(.post, "\(v66)/jobs/ingest", json: ["object": "Nope__c", "operation": "insert"], token: token)
        #expect(unknown.json?[0]?["message"] == "Unable to find object: Nope__c")
    }
}
