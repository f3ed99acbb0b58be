import Ferry
import FerryTesting
import Foundation
import Testing

@Suite("Bulk API uploads under the limit")
struct BulkUploadLimitTests {
    @Test("a batch whose CSV is over the upload limit runs as several jobs under it; a record alone over it is refused")
    func splitUnderTheLimit() async throws {
        #expect(BulkIngestDestination.uploadLimit == 100_000_000)
        let clock = ManualClock()
        var configuration = SimulatedSalesforceOrg.Configuration()
        configuration.bulkPollsBeforeCompletion = 0
        let org = SimulatedSalesforceOrg(configuration: configuration, clock: clock)
        org.register(try SimulatedObject("Feedback__c", fields: [
            .text("Name", length: 255, required: true), .number("Score__c"),
            .text("Delivery_Key__c", externalID: true, unique: true),
        ]))
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: "ferry-client-id", clientSecret: Secret("ferry-client-secret"), transport: org,
            clock: clock)
        let transport = AuthorizingTransport(tokenProvider: provider, transport: org, origin: org.org.baseURL)
        // 120 bytes per upload: the header (`Delivery_Key__c,Name,Score__c\n`, 30 bytes) and six 14-byte rows: 4 jobs for 20 records.
        let limit = 120
        let destination = BulkIngestDestination(
            endpoints: org.endpoints, object: try APIName("Feedback__c"),
            mode: .upsert(externalIDField: try APIName("Delivery_Key__c")), clock: clock, maximumUploadBytes: limit)
        var batch = (0..<20).map { index in
            DeliveryItem(id: "item-\(index)", payload: [
                "Delivery_Key__c": .string(String(format: "k%02d", index)), "Name": .string(String(format: "Name %02d", index)),
                "Score__c": 5,
            ])
        }
        batch.insert(
            DeliveryItem(id: "huge", payload: [
                "Delivery_Key__c": "huge", "Name": .string(String(repeating: "x", count: 100)), "Score__c": 1,
            ]), at: 7)

        let results = await destination.deliver(batch, using: transport)

        let uploads = org.requests.filter { $0.method == .put && $0.path.hasSuffix("/batches") }
        #expect(uploads.count == 4)
        #expect(uploads.allSatisfy { $0.bodyText.utf8.count <= limit })
        #expect(uploads.allSatisfy { $0.bodyText.hasPrefix("Delivery_Key__c,Name,Score__c\n") })
        #expect(!uploads.contains { $0.bodyText.contains("huge") })
        #expect(org.records(of: "Feedback__c").count == 20)
        #expect(results.count == 21)
        for (item, result) in zip(batch, results) where item.id != "huge" {
            guard case .delivered = result else { Issue.record("\(item.id) was not delivered: \(result)"); continue }
        }
        guard case .failed(let failure) = results[7] else { Issue.record("the oversized record was not refused"); return }
        #expect(failure.errorCode == "PAYLOAD_TOO_LARGE")
        #expect(failure.retryability == .final)
        #expect(failure.message.contains("138 bytes"))
        #expect(failure.message.contains("limit of 120 bytes"))
        #expect(failure.message.contains("150 MB"))
    }
}
