import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import SalesforceModels
import Testing

@Suite("BulkIngestDestination")
struct BulkIngestDestinationTests {
    static let jobs = "/services/data/v66.0/jobs/ingest"

    func jobInfo(_ state: String, error: String? = nil) -> HTTPResponse {
        var info: JSONValue = ["id": "750R0000000001aIAQ", "state": .string(state), "object": "Feedback__c",
                               "operation": "upsert", "numberRecordsProcessed": 3, "numberRecordsFailed": 1]
        if let error { info["errorMessage"] = .string(error) }
        return HTTPResponse(status: 200, json: info)
    }

    @Test("creates, uploads, closes and polls a job, then maps results in any order back to items")
    func fullFlow() async throws {
        let clock = ManualClock()
        let transport = MockTransport()
        transport.on(.post, Self.jobs, reply: jobInfo("Open"))
        transport.on(.put, "\(Self.jobs)/750R0000000001aIAQ/batches", reply: HTTPResponse(status: 201))
        transport.on(.patch, "\(Self.jobs)/750R0000000001aIAQ", reply: jobInfo("UploadComplete"))
        transport.on(.get, "\(Self.jobs)/750R0000000001aIAQ", replies: [jobInfo("InProgress"), jobInfo("InProgress"), jobInfo("JobComplete")])
        transport.on(.get, "\(Self.jobs)/750R0000000001aIAQ/successfulResults", reply: HTTPResponse(status: 200, text:
            "\"sf__Id\",\"sf__Created\",Delivery_Key__c,Score__c\n\"a03\",\"false\",\"K3\",\"7\"\n\"a01\",\"true\",\"k1\",\"9\"\n"))
        transport.on(.get, "\(Self.jobs)/750R0000000001aIAQ/failedResults", reply: HTTPResponse(status: 200, text:
            "\"sf__Id\",\"sf__Error\",Delivery_Key__c,Score__c\n\"\",\"STRING_TOO_LONG:Score: data value too large:--\",\"k2\",\"x\"\n"))
        transport.on(.get, "\(Self.jobs)/750R0000000001aIAQ/unprocessedrecords", reply: HTTPResponse(status: 200, text: "Delivery_Key__c,Score__c\n"))

        let destination = BulkIngestDestination(
            endpoints: Fixture.endpoints, object: Fixture.feedback, mode: .upsert(externalIDField: Fixture.deliveryKey),
            pollInterval: .seconds(2), clock: clock)
        let batch = [
            Fixture.item("1", ["Delivery_Key__c": "k1", "Score__c": 9]),
            Fixture.item("2", ["Delivery_Key__c": "k2", "Score__c": "x"]),
            Fixture.item("3", ["Delivery_Key__c": "k3", "Score__c": 7]),
            Fixture.item("4", ["Score__c": 1]),
        ]
        // Two "InProgress" polls, each followed by a pause on the clock.
        let results = await advancing(clock, by: .seconds(10)) { await destination.deliver(batch, using: transport) }
        #expect(clock.totalSleeps == 2)
        #expect(results[0] == .delivered(DeliveryReceipt(status: 200, salesforceID: "a01", created: true)))
        guard case .failed(let second) = results[1] else { Issue.record("expected a failure"); return }
        #expect(second.errorCode == "STRING_TOO_LONG")
        #expect(second.retryability == .final)
        // External IDs match case-insensitively, as Salesforce matches them.
        #expect(results[2] == .delivered(DeliveryReceipt(status: 200, salesforceID: "a03", created: false)))
        guard case .failed(let fourth) = results[3] else { Issue.record("expected a failure"); return }
        #expect(fourth.errorCode == "EXTERNAL_ID_MISSING")

        let create = try #require(transport.requests(to: Self.jobs).first)
        let job = try JSONValue(parsing: try #require(create.body))
        #expect(job == ["object": "Feedback__c", "externalIdFieldName": "Delivery_Key__c", "contentType": "CSV", "operation": "upsert", "lineEnding": "LF"])
        let upload = try #require(transport.requests(to: "\(Self.jobs)/750R0000000001aIAQ/batches").first)
        #expect(upload.headers["Content-Type"] == "text/csv")
        #expect(String(decoding: upload.body ?? Data(), as: UTF8.self) == "Delivery_Key__c,Score__c\nk1,9\nk2,x\nk3,7\n")
        let close = try #require(transport.requests.first { $0.method == .patch })
        #expect(try JSONValue(parsing: close.body ?? Data()) == ["state": "UploadComplete"])
    }

    @Test("a failed job fails every item with the job's message")
    func failedJob() async throws {
        let transport = MockTransport()
        transport.on(.post, Self.jobs, reply: jobInfo("Open"))
        transport.on(.put, "*", reply: HTTPResponse(status: 201))
        transport.on(.patch, "*", reply: jobInfo("UploadComplete"))
        transport.on(.get, "\(Self.jobs)/750R0000000001aIAQ", reply: jobInfo("Failed", error: "InvalidBatch : Field name not found : Scor__c"))
        let destination = BulkIngestDestination(endpoints: Fixture.endpoints, object: Fixture.feedback, clock: ManualClock())
        let results = await destination.deliver([Fixture.item("1", ["Scor__c": 1]), Fixture.item("2", ["Scor__c": 2])], using: transport)
        for result in results {
            guard case .failed(let failure) = result else { Issue.record("expected failures"); continue }
            #expect(failure.errorCode == "BULK_JOB_FAILED")
            #expect(failure.message.contains("Field name not found"))
            #expect(failure.retryability == .final)
        }
    }

    @Test("a job that cannot be created fails the batch with Salesforce's reason")
    func creationRefused() async throws {
        let transport = MockTransport()
        transport.on(.post, Self.jobs, reply: HTTPResponse(status: 400, text: #"[{"errorCode":"INVALIDENTITY","message":"sObject type 'Feedbak__c' is not supported."}]"#))
        let destination = BulkIngestDestination(endpoints: Fixture.endpoints, object: Fixture.feedback, clock: ManualClock())
        let results = await destination.deliver([Fixture.item("1", ["Name": "x"])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.errorCode == "INVALIDENTITY")
        #expect(failure.message.contains("creating the job"))
    }

    @Test("a job still running after the maximum wait is aborted and its items retried")
    func timeout() async throws {
        let clock = ManualClock()
        let transport = MockTransport()
        transport.on(.post, Self.jobs, reply: jobInfo("Open"))
        transport.on(.put, "*", reply: HTTPResponse(status: 201))
        transport.on(.patch, "*", reply: jobInfo("UploadComplete"))
        transport.on(.get, "*", reply: jobInfo("InProgress"))
        let destination = BulkIngestDestination(
            endpoints: Fixture.endpoints, object: Fixture.feedback, pollInterval: .seconds(10), maximumWait: .seconds(60),
            clock: clock)
        let results = await advancing(clock, by: .seconds(30)) {
            await destination.deliver([Fixture.item("1", ["Name": "x"])], using: transport)
        }
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.errorCode == "BULK_JOB_TIMEOUT")
        #expect(failure.retryability == .transient)
        let abort = try #require(transport.requests.last { $0.method == .patch })
        #expect(try JSONValue(parsing: abort.body ?? Data()) == ["state": "Aborted"])
    }
}
