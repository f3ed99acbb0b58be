import FerryTesting
import Foundation
import Testing

/// Issue #16 item 2: updates of one record (one ordering key) land in the order they were accepted, through
/// faults and retries, while different records still go in parallel.
@Suite("Per-record order through faults")
struct OrderingTests {
    static let keys = 8
    static let versions = 5

    /// `versions` updates for each of `keys` records, interleaved as a live feed would send them: version 1 of
    /// every key, then version 2, and so on. The score is the version.
    static func updates() -> [DeliveryItem] {
        (1...versions).flatMap { version in
            (1...keys).map { key in
                DeliveryItem(
                    id: "K-\(key)-v\(version)",
                    payload: ["Name": .string("Feedback \(key)"), "Score__c": .int(version), "Delivery_Key__c": .string("K-\(key)")])
            }
        }
    }

    @Test("same-key upserts under 503s and row locks end with the last accepted value, with four deliverers",
          arguments: [1, 10])
    func lastValueWins(batchSize: Int) async throws {
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock, progress: progress)
        let org = try Fixture.org(clock: clock)
        let scope: SimulatedFaultRule.Scope = batchSize == 1 ? .sObjects : .collections
        org.inject(.everyNthCall(3, .serverUnavailable, on: scope))
        org.inject(.everyNthCall(4, .unableToLockRow, on: scope))
        let object = try APIName("Feedback__c")
        let mode = SObjectWriteMode.upsert(externalIDField: try APIName("Delivery_Key__c"))
        let destination: any Destination = batchSize == 1
            ? SObjectDestination(endpoints: org.endpoints, object: object, mode: mode)
            : SObjectCollectionsDestination(endpoints: org.endpoints, object: object, mode: mode, batchSize: batchSize)
        let log = OutcomeLog()
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret), transport: org, clock: clock)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            configuration: .init(
                concurrency: 4, batchLinger: .zero,
                retryPolicy: ExponentialBackoff(maximumAttempts: 20, random: { 0.5 }), outcomeHandler: log.handler),
            clock: tracked)
        let items = Self.updates()
        try await pipeline.send(contentsOf: items)
        // Small clock steps: a deliverer mid-request renews its lease long before the clock could reach its end (a
        // jump to the next deadline could lapse it under a busy machine, and a lapsed lease is another test's topic).
        await LeaseRenewalTests.driveInSteps(tracked, parked: 4, step: .seconds(1)) { log.count >= items.count }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == items.count)
        #expect(report.retries > 0)
        #expect(org.counters.faultsByKind["SERVER_UNAVAILABLE", default: 0] > 0)
        #expect(org.counters.faultsByKind["UNABLE_TO_LOCK_ROW", default: 0] > 0)
        let records = org.records(of: "Feedback__c")
        #expect(records.count == Self.keys)
        for record in records {
            #expect(record["Score__c"]?.intValue == Self.versions, "\(record["Delivery_Key__c"]?.stringValue ?? "?")")
        }
        // Delivered in acceptance order per key: the outcome handler saw each key's versions in order.
        for key in 1...Self.keys {
            let order = log.outcomes.compactMap { outcome -> String? in
                outcome.itemID.hasPrefix("K-\(key)-") ? outcome.itemID : nil
            }
            #expect(order == (1...Self.versions).map { "K-\(key)-v\($0)" })
        }
    }
}
