import FerryTesting
import Foundation
import Testing

/// The SDK end to end against the simulated org: the Salesforce token provider, the authorising pipeline and each
/// destination, with faults injected.
@Suite("Simulated org: end to end through the SDK")
struct IntegrationTests {
    static func pipeline(
        _ org: SimulatedSalesforceOrg, _ clock: ManualClock, _ destination: any Destination, _ log: OutcomeLog,
        maximumAttempts: Int = 8
    ) throws -> DeliveryPipeline {
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret), transport: org, clock: clock)
        let configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero,
            retryPolicy: ExponentialBackoff(maximumAttempts: maximumAttempts, random: { 0.5 }),
            outcomeHandler: log.handler)
        return DeliveryPipeline(
            destination: destination, transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            configuration: configuration, clock: clock)
    }

    @Test("the seed's NPS flow delivers every good response through 503s and limit errors, once each")
    func npsThroughFaults() async throws {
        let clock = ManualClock()
        let org = try ApexRESTTests.npsOrg(clock: clock)
        org.inject(.everyNthCall(3, .serverUnavailable, on: .apexREST))
        org.inject(.sequence([nil, nil, nil, nil, .requestLimitExceeded], on: .apexREST))
        let url = org.endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, ApexRESTDestination(url: url), log)
        var items = (1...20).map { DeliveryItem(id: "nps-\($0)", payload: ["userId": .string("u\($0)"), "npsScore": .int($0 % 11)]) }
        items.append(DeliveryItem(id: "nps-bad", payload: ["userId": "u-bad", "npsScore": "nine"]))
        try await pipeline.send(contentsOf: items)
        await drive(clock) { log.count == 21 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 20)
        #expect(report.failed == 1)
        #expect(report.retries > 0)
        #expect(report.tokenRequests == 1)
        #expect(report.apiUsage?.apiUsage?.limit == 100_000)
        let bad = try #require(log.outcomes.first { $0.itemID == "nps-bad" })
        // Faults may strike its first attempts; the "Error: ..." answer itself is final, never retried.
        #expect(bad.failure?.errorCode == "APEX_ERROR_STRING")
        #expect(bad.failure?.retryability == .final)
        #expect(bad.failure?.message.contains("Illegal value for primitive") == true)
        let records = org.records(of: ApexRESTTests.npsObject)
        #expect(records.count == 20)
        #expect(Set(records.compactMap { $0["CleverTap__userId__c"]?.stringValue }) == Set((1...20).map { "u\($0)" }))
        #expect(records.allSatisfy { $0["CleverTap__npsScore__c"]?.intValue == (Int($0["CleverTap__userId__c"]?.stringValue?.dropFirst() ?? "") ?? -1) % 11 })
        #expect(org.counters.faultsByKind["SERVER_UNAVAILABLE", default: 0] > 0)
        #expect(org.counters.faultsByKind["REQUEST_LIMIT_EXCEEDED"] == 1)
    }

    @Test("with the generated class, 500s after the write and lock errors neither lose nor duplicate a record")
    func generatedClassIdempotent() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        let spec = try ApexRESTTests.spec()
        org.register(generatedClassFor: spec)
        org.inject(.everyNthCall(2, .internalErrorAfterWrite, on: .apexREST))
        org.inject(.everyNthCall(5, .unableToLockRow, on: .apexREST))
        let url = org.endpoints.apexREST(mapping: spec.mapping, namespace: spec.namespace)
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, ApexRESTDestination(url: url), log)
        let items = (1...15).map { DeliveryItem(id: "survey-\($0)", payload: ["Score": .int($0), "Comment": .string("c\($0)")]) }
        try await pipeline.send(contentsOf: items)
        await drive(clock) { log.count == 15 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 15)
        #expect(org.counters.faultsByKind["INTERNAL_ERROR_AFTER_WRITE", default: 0] >= 7)
        let records = org.records(of: "CleverTap__Survey_Response__c")
        #expect(records.count == 15)
        // Stored in the order the deliveries succeeded, one record per item.
        #expect(Set(records.compactMap { $0["CleverTap__Idempotency_Key__c"]?.stringValue }) == Set(items.map(\.id)))
        for record in records {
            let item = items.first { .string($0.id) == record["CleverTap__Idempotency_Key__c"] }
            let payload = try item?.payload.value
            #expect(record["CleverTap__Comment__c"] == payload?["Comment"])
            #expect(record["CleverTap__Score__c"] == payload?["Score"])
        }
        #expect(records.contains { $0.updateCount > 0 })
    }

    @Test("Collections upserts survive faults: every record stored once, equal to what was sent")
    func collectionsUpsert() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.inject(.sequence([.internalErrorAfterWrite, nil, .unableToLockRow, .serverUnavailable], on: .collections))
        let destination = SObjectCollectionsDestination(
            endpoints: org.endpoints, object: try APIName("Feedback__c"),
            mode: .upsert(externalIDField: try APIName("Delivery_Key__c")), batchSize: 10)
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, destination, log)
        let payloads: [JSONValue] = (1...35).map {
            ["Name": .string("Feedback \($0)"), "Score__c": .int($0), "Delivery_Key__c": .string("K-\($0)")]
        }
        try await pipeline.send(contentsOf: payloads.enumerated().map { DeliveryItem(id: "fb-\($0.offset)", payload: $0.element) })
        await drive(clock) { log.count == 35 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 35)
        let records = org.records(of: "Feedback__c")
        #expect(records.count == 35)
        #expect(Set(records.map { JSONValue.object($0.fields) }) == Set(payloads))
        #expect(org.counters.faultsInjected == 3)
    }

    @Test("Collections creates are not idempotent: a 500 after the write duplicates the batch")
    func collectionsCreateDuplicates() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.inject(.nextCalls(1, .internalErrorAfterWrite, on: .collections))
        let destination = SObjectCollectionsDestination(endpoints: org.endpoints, object: try APIName("Feedback__c"))
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, destination, log)
        try await pipeline.send(contentsOf: (1...5).map { DeliveryItem(id: "c\($0)", payload: ["Name": .string("n\($0)")]) })
        await drive(clock) { log.count == 5 }
        _ = await pipeline.shutdown()
        #expect(org.records(of: "Feedback__c").count == 10)
    }

    @Test("Bulk API upserts deliver every row through a failed job creation, matching results back to items")
    func bulkUpsert() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.inject(.nextCalls(1, .serverUnavailable, on: .bulk))
        let destination = BulkIngestDestination(
            endpoints: org.endpoints, object: try APIName("Feedback__c"),
            mode: .upsert(externalIDField: try APIName("Delivery_Key__c")), batchSize: 100, clock: clock)
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, destination, log)
        var items = (1...40).map {
            DeliveryItem(id: "b\($0)", payload: ["Name": .string("Row, \"\($0)\""), "Score__c": .int($0), "Delivery_Key__c": .string("B-\($0)")])
        }
        items.append(DeliveryItem(id: "b-bad", payload: ["Name": "", "Delivery_Key__c": "B-bad"]))
        try await pipeline.send(contentsOf: items)
        await drive(clock) { log.count == 41 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 40)
        #expect(report.failed == 1)
        #expect(log.outcomes.first { $0.itemID == "b-bad" }?.failure?.errorCode == "REQUIRED_FIELD_MISSING")
        let records = org.records(of: "Feedback__c")
        #expect(records.count == 40)
        #expect(Set(records.map { JSONValue.object($0.fields) }) == Set(try items.dropLast().map { try $0.payload.value }))
        let receipts = Set(log.outcomes.compactMap { $0.receipt?.salesforceID })
        #expect(receipts == Set(records.map(\.id)))
    }

    @Test("expired and revoked sessions are refreshed once and the delivery replayed")
    func sessionRefresh() async throws {
        let clock = ManualClock()
        let org = try ApexRESTTests.npsOrg(clock: clock)
        let url = org.endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))
        let log = OutcomeLog()
        let pipeline = try Self.pipeline(org, clock, ApexRESTDestination(url: url), log)
        try await pipeline.send(DeliveryItem(id: "a", payload: ["userId": "a", "npsScore": 1]))
        await drive(clock) { log.count == 1 }
        org.expireAllSessions()
        try await pipeline.send(DeliveryItem(id: "b", payload: ["userId": "b", "npsScore": 2]))
        await drive(clock) { log.count == 2 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 2)
        #expect(org.counters.tokensIssued == 2)
        #expect(org.counters.sessionsRefused == 1)
        #expect(org.records(of: ApexRESTTests.npsObject).count == 2)
    }
}
