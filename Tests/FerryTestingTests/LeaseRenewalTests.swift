import FerryTesting
import Foundation
import Testing

/// Issue #16 item 1: a deliverer working through a lease longer than the lease lasts keeps its items.
@Suite("Leases held while a slow org answers")
struct LeaseRenewalTests {
    /// Moves the clock in steps of at most `step` until `done` holds, each step only once every deliverer is
    /// parked on the clock (in an org call's latency, a retry pause, or idle until a lease runs out: at least
    /// `parked` sleepers) and every lease heartbeat the last step woke has renewed. Between steps it waits for
    /// those events (a sleeper, a heartbeat back, an outcome), never on a timer; 60 s of real time or `maxSteps`
    /// steps without `done` holding fail the test.
    static func driveInSteps(
        _ clock: WatchTrackingClock, parked: Int, step: Duration = .milliseconds(250), maxSteps: Int = 20_000,
        until done: @Sendable () async -> Bool
    ) async {
        let manual = clock.base
        let giveUp = ContinuousClock.now + .seconds(60)
        var steps = 0
        while steps < maxSteps, ContinuousClock.now < giveUp {
            let seen = progress.generation
            if await done() { return }
            if clock.renewing == 0, manual.sleeperCount >= parked, let next = manual.nextDeadline {
                manual.advance(to: min(next, manual.now.addingTimeInterval(step.seconds)))
                steps += 1
            } else if clock.renewing > 0 {
                await progress.wait(after: seen, giveUpAt: giveUp)
            } else {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { await progress.wait(after: seen, giveUpAt: giveUp) }
                    group.addTask { await manual.waitForSleepers(count: parked) }
                    await group.next()
                    group.cancelAll()
                }
            }
        }
        Issue.record("the condition did not hold after \(steps) steps")
    }

    @Test("a lease shorter than the batch, a slow org and four deliverers: no item is sent twice",
          arguments: [false, true])
    func slowOrgShortLease(durable: Bool) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-lease-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fileOutbox = durable ? try FileOutbox(directory: directory) : nil
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock, progress: progress)
        let org = try ApexRESTTests.npsOrg(clock: clock)
        // Every Apex call takes 2.4 s; a deliverer's lease of several items takes far longer than the 5 s lease.
        org.inject(.everyNthCall(1, .latency(.milliseconds(2_400)), on: .apexREST))
        let url = org.endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))
        let log = OutcomeLog()
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret), transport: org, clock: clock)
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: url), transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            outbox: fileOutbox ?? InMemoryOutbox(),
            configuration: .init(concurrency: 4, batchLinger: .zero, leaseDuration: .seconds(5), outcomeHandler: log.handler),
            clock: tracked)
        let items = (1...24).map { DeliveryItem(id: "nps-\($0)", payload: ["userId": .string("u\($0)"), "npsScore": 7]) }
        try await pipeline.send(contentsOf: items)
        await Self.driveInSteps(tracked, parked: 4) { log.count >= 24 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 24)
        // The seed's class has no idempotency: an item sent twice is a second record and a second request.
        #expect(org.counters.calls(.post, url.path) == 24)
        let users = org.records(of: ApexRESTTests.npsObject).compactMap { $0["CleverTap__userId__c"]?.stringValue }
        #expect(users.count == 24)
        #expect(Set(users) == Set((1...24).map { "u\($0)" }))
        #expect(report.attempts == 24)
        try await fileOutbox?.close()
    }

    enum LongRequest: String, CaseIterable, CustomTestStringConvertible {
        case apex, apexWithFileOutbox, sObject
        var testDescription: String { rawValue }
    }

    @Test("one request that takes 20 s under a 5 s lease, with idle deliverers waiting: each item is sent once",
          arguments: LongRequest.allCases)
    func singleRequestOutlastsLease(_ kind: LongRequest) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-lease-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fileOutbox = kind == .apexWithFileOutbox ? try FileOutbox(directory: directory) : nil
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock, progress: progress)
        let org = try ApexRESTTests.npsOrg(clock: clock)
        let object = try APIName("Feedback__c")
        let destination: any Destination
        let path: String
        if kind == .sObject {
            org.inject(.everyNthCall(1, .latency(.seconds(20)), on: .sObjects))
            destination = SObjectDestination(endpoints: org.endpoints, object: object, mode: .create)
            path = org.endpoints.sObjectCreate(object).path
        } else {
            org.inject(.everyNthCall(1, .latency(.seconds(20)), on: .apexREST))
            let url = org.endpoints.apexREST(
                mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))
            destination = ApexRESTDestination(url: url)
            path = url.path
        }
        let log = OutcomeLog()
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret), transport: org, clock: clock)
        // Three items, four deliverers: three each send one item in one 20 s request, the fourth waits for a lease to
        // run out (at 5 s) to take its item.
        let pipeline = DeliveryPipeline(
            destination: destination, transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            outbox: fileOutbox ?? InMemoryOutbox(),
            configuration: .init(concurrency: 4, batchLinger: .zero, leaseDuration: .seconds(5), outcomeHandler: log.handler),
            clock: tracked)
        let items = (1...3).map { index in
            kind == .sObject
                ? DeliveryItem(id: "row-\(index)", payload: ["Name": .string("N\(index)"), "Score__c": 5])
                : DeliveryItem(id: "nps-\(index)", payload: ["userId": .string("u\(index)"), "npsScore": 7])
        }
        let start = clock.now
        try await pipeline.send(contentsOf: items)
        await Self.driveInSteps(tracked, parked: 4) { log.count >= 3 }
        // Counted per request at the org when the three are done: an item sent twice is a second request (and a
        // second record).
        #expect(org.counters.calls(.post, path) == 3)
        // Shut down while the clock still moves (bounded: were an item sent twice, a copy could still be in flight).
        let finished = FerryMutex<DeliveryReport?>(nil)
        let shutdown = Task {
            let report = await pipeline.shutdown().report
            finished.withLock { $0 = report }
            progress.signal()
        }
        // Deliverers end as they find nothing left: any one sleeper (a copy still in flight) is enough to move on.
        await Self.driveInSteps(tracked, parked: 1, maxSteps: 2_000) { finished.withLock { $0 != nil } }
        shutdown.cancel()
        let report = try #require(finished.withLock { $0 })
        #expect(report.delivered == 3)
        #expect(report.attempts == 3)
        #expect(org.counters.calls(.post, path) == 3)
        #expect(clock.now.timeIntervalSince(start) >= 20, "each request should outlast the 5 s lease")
        try await fileOutbox?.close()
    }

    @Test("a Bulk job that runs longer than the lease holds its items to the end: one job, each record once")
    func bulkJobOutlastsLease() async throws {
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock, progress: progress)
        let start = clock.now
        // About 40 polls in progress: with pauses growing from 1 s to 30 s, the job runs well over 10 minutes.
        let org = try Fixture.org(clock: clock) { $0.bulkPollsBeforeCompletion = 40 }
        let log = OutcomeLog()
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret), transport: org, clock: clock)
        let destination = BulkIngestDestination(
            endpoints: org.endpoints, object: try APIName("Feedback__c"), batchSize: 50, clock: clock)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            configuration: .init(concurrency: 3, batchLinger: .zero, leaseDuration: .seconds(30), outcomeHandler: log.handler),
            clock: tracked)
        let items = (1...50).map { DeliveryItem(id: "row-\($0)", payload: ["Name": .string("N\($0)"), "Score__c": 5]) }
        try await pipeline.send(contentsOf: items)
        await Self.driveInSteps(tracked, parked: 3, step: .seconds(1)) { log.count >= 50 }
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 50)
        #expect(org.counters.calls(.post, org.endpoints.bulkIngestJobs.path) == 1)
        #expect(org.records(of: "Feedback__c").count == 50)
        #expect(clock.now.timeIntervalSince(start) > 600, "the job should outlast the 30 s lease many times over")
    }
}
