import Ferry
import FerryTesting
import Foundation
import Testing

/// The seed's four use cases end to end through `SalesforceExporter` against the simulated org, with faults.
@Suite("The seed's use cases, end to end")
struct UseCaseTests {
    let clock = ManualClock()

    func org() -> SimulatedSalesforceOrg {
        SimulatedSalesforceOrg(clock: clock)
    }

    func exporter(
        _ org: SimulatedSalesforceOrg, _ destination: ExportDestination, _ payload: ExportPayload,
        // Several deliverers (the default): the clock moves a second at a time and never while a request is at
        // the org (settle), so no lease runs out under a deliverer that is mid-request.
        configuration: DeliveryPipeline.Configuration = .init(batchLinger: .zero, retryPolicy: ExponentialBackoff(random: { 0.5 }))
    ) throws -> SalesforceExporter {
        try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: SimulatedClient.example.id, secret: SimulatedClient.example.secret),
            destination: destination, payload: payload, transport: org, configuration: configuration, clock: clock)
    }

    /// Moves the manual clock until `done` holds, driven by events, never by a timer: the clock moves (towards its
    /// next deadline, at most a second at a time) only while no request is at the org and something sleeps on the
    /// clock (a retry pause, an idle deliverer waiting for a lease to run out), so time never passes under a
    /// deliverer that is mid-request. Otherwise it waits for the org's ``SimulatedSalesforceOrg/activity``, an
    /// event from the exporter or a sleeper. 60 s of real time without `done` holding fails the test (a safety
    /// net a passing run never reaches).
    func settle(
        _ org: SimulatedSalesforceOrg, _ exporter: SalesforceExporter, until done: @Sendable () async -> Bool
    ) async {
        // The exporter records an outcome in its report before it emits the event: a waiter woken by the event
        // sees the new report.
        let events = exporter.events()
        let forward = Task {
            for await _ in events { org.activity.signal() }
        }
        defer { forward.cancel() }
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp {
            let seen = org.activity.generation
            if await done() { return }
            if org.requestsInFlight > 0 {
                await org.activity.wait(after: seen, giveUpAt: giveUp)
            } else if let next = clock.nextDeadline {
                clock.advance(to: min(next, clock.now.addingTimeInterval(1)))
            } else {
                await org.activity.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
            }
        }
        Issue.record("the condition did not hold within 60 s")
    }

    /// Shuts the exporter down, moving the manual clock past every retry pause (``settle(_:_:until:)``).
    func finish(_ org: SimulatedSalesforceOrg, _ exporter: SalesforceExporter) async throws -> DeliveryReport {
        let done = FerryMutex(false)
        let task = Task {
            let result = await exporter.shutdown()
            done.withLock { $0 = true }
            org.activity.signal()
            return result.report
        }
        await settle(org, exporter) { done.withLock { $0 } }
        #expect(done.withLock { $0 }, "the exporter did not finish")
        return await task.value
    }

    @Test("NPS and survey responses through the seed's Apex class, with 503s, a lock error and an expired session")
    func nps() async throws {
        let org = org()
        org.register(.insertNPSFeedback(namespace: "CleverTap"), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.inject(.everyNthCall(3, .serverUnavailable, on: .apexREST))
        org.inject(.nextCalls(1, .unableToLockRow, on: .apexREST))
        let exporter = try exporter(
            org, .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            .json(#"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#))
        for index in 1...12 {
            if index == 7 { org.expireAllSessions() }
            try await exporter.send(["Profile": ["Identity": .string("u\(index)")], "Event": ["User Rating": .int(index % 11)]], id: "nps-\(index)")
        }
        let report = try await finish(org, exporter)
        #expect(report.delivered == 12)
        #expect(report.retries > 0)
        let stored = org.records(of: "CleverTap__CleverTap_NPS__c")
        #expect(stored.count == 12)
        #expect(Set(stored.compactMap { $0["CleverTap__userId__c"]?.stringValue }).count == 12)
    }

    @Test("leads captured by campaigns, upserted on the identity through Collections: a repeat updates, never duplicates")
    func leads() async throws {
        let org = org()
        org.register(try SimulatedObject("Lead", fields: [
            .text("LastName", length: 80, required: true), .text("FirstName", length: 40), .email("Email"),
            .text("Phone", length: 40), .text("Company", length: 255, required: true),
            .text("LeadSource", length: 40), .text("CleverTap_Identity__c", externalID: true, unique: true),
            .text("CleverTap_Campaign__c"),
        ]))
        org.inject(.nextCalls(1, .serverUnavailable, on: .collections))
        // One deliverer that lingers for a batch on the manual clock, which only settle moves (after the five sends):
        // the five leads go out together however the sends and the deliverer interleave. With several deliverers
        // and no linger, a slow run (the thread sanitizer) sent one lead per call.
        let exporter = try exporter(
            org, .collections("Lead", upsertOn: "CleverTap_Identity__c"), .mapper(try CampaignLeadMapper()),
            configuration: .init(concurrency: 1, batchLinger: .seconds(1), retryPolicy: ExponentialBackoff(random: { 0.5 })))
        for index in 1...5 {
            try await exporter.send(["Profile": ["Identity": .string("lead-\(index)"), "Name": .string("Pat Lead\(index)"), "Email": .string("p\(index)@example.com")],
                                     "Campaign": ["Name": "Spring webinar"]], id: "lead-\(index)")
        }
        // The first five are in before the same person comes again: a retry of lead-1 must not land after its update
        // (the pipeline does not order items with different ids; the seed's campaigns send a repeat much later).
        await settle(org, exporter) { await exporter.report.delivered >= 5 }
        #expect(await exporter.report.delivered == 5)
        // The same person again, with a company now: an update, not a new lead.
        try await exporter.send(["Profile": ["Identity": "lead-1", "Name": "Pat Lead1", "Email": "p1@example.com", "Company": "Acme"]], id: "lead-1-again")
        let report = try await finish(org, exporter)
        #expect(report.delivered == 6)
        let leads = org.records(of: "Lead")
        #expect(leads.count == 5)
        #expect(leads.first { $0["CleverTap_Identity__c"] == "lead-1" }?["Company"] == "Acme")
        #expect(report.apiCalls <= 4)  // one or two Collections calls (plus a retry), not one per lead
    }

    @Test("event and product feedback created through the sObject API; a bad record is reported, its neighbours stored")
    func eventFeedback() async throws {
        let org = org()
        org.register(try SimulatedObject("CleverTap_Event_Feedback__c", fields: [
            .text("User_Id__c", required: true), .text("Event_Name__c", required: true), .number("Rating__c"),
            .text("Feedback__c", length: 32000), .dateTime("Occurred_At__c"),
        ]))
        org.inject(.nextCalls(2, .unableToLockRow, on: .sObjects))
        let exporter = try exporter(org, .sObject("CleverTap_Event_Feedback__c"), .mapper(try EventFeedbackMapper()))
        try await exporter.send(["Profile": ["Identity": "u1"], "Event": ["Event Name": "Launch webinar", "Rating": 4.5, "Feedback": "Great \"demo\"\nthanks"]], id: "f1")
        try await exporter.send(["Profile": ["Identity": "u2"], "Event": ["Event Name": "Launch webinar", "Rating": "5"]], id: "f2")
        try await exporter.send(["Profile": ["Identity": "u3"], "Event": ["Rating": 3]], id: "f3")  // no event name
        let report = try await finish(org, exporter)
        #expect(report.delivered == 2)
        #expect(report.failed == 1)
        #expect(report.failures.first?.failure?.errorCode == "MAPPING_ERROR")
        let stored = org.records(of: "CleverTap_Event_Feedback__c")
        #expect(stored.count == 2)
        #expect(stored.first { $0["User_Id__c"] == "u1" }?["Feedback__c"] == "Great \"demo\"\nthanks")
    }

    @Test("behavioural enrichment: usage metrics upserted onto the profile's record, keyed by identity")
    func enrichment() async throws {
        let org = org()
        org.register(try SimulatedObject("CleverTap_Profile__c", fields: [
            .text("CleverTap_Identity__c", externalID: true, unique: true), .number("Sessions_Last_30_Days__c"),
            .text("Last_Feature_Used__c"),
        ]))
        // The first update of u1 meets a row lock and waits to be retried; then every other call is a 503. The
        // second update of u1 is sent while the first waits: it must not overtake it (per-record order, by the
        // external ID), or the older value would be stored last.
        org.inject(.nextCalls(1, .unableToLockRow, on: .sObjects))
        org.inject(.everyNthCall(2, .serverUnavailable, on: .sObjects))
        let mapper = try BehaviouralEnrichmentMapper(metrics: ["Sessions Last 30 Days", "Last Feature Used"])
        let exporter = try exporter(org, .sObject("CleverTap_Profile__c", upsertOn: "CleverTap_Identity__c"), .mapper(mapper))
        try await exporter.send(["Profile": ["Identity": "u1", "Sessions Last 30 Days": 12, "Last Feature Used": "Export"]], id: "e1")
        // The clock stays put (e1's retry pause must not end before e3 is sent): the org signals its activity once
        // the fault is counted.
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp {
            let seen = org.activity.generation
            if org.counters.faultsInjected > 0 { break }
            await org.activity.wait(after: seen, giveUpAt: giveUp)
        }
        #expect(org.counters.faultsInjected == 1)
        try await exporter.send(["Profile": ["Identity": "u2", "Sessions Last 30 Days": 3]], id: "e2")
        try await exporter.send(["Profile": ["Identity": "u1", "Sessions Last 30 Days": 14]], id: "e3")
        let report = try await finish(org, exporter)
        #expect(report.delivered == 3)
        let stored = org.records(of: "CleverTap_Profile__c")
        #expect(stored.count == 2)
        let u1 = stored.first { $0["CleverTap_Identity__c"] == "u1" }
        #expect(u1?["Last_Feature_Used__c"] == "Export")
        #expect(u1?["Sessions_Last_30_Days__c"]?.intValue == 14)
    }
}
