// The code samples of Documentation/Testing.md, verbatim, so they cannot rot. Keep the two in step: each test
// body below is one ```swift block of the guide (the Package.swift line excepted).
import FerryTesting
import Foundation
import Testing

@Suite("Documentation/Testing.md samples")
struct DocumentationSampleTests {
    @Test func mockTransport() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/oauth2/token", reply: HTTPResponse(status: 200, json: [
            "access_token": "00D000000000001!AQ4AQtest", "instance_url": "https://acme.my.salesforce.com",
            "token_type": "Bearer", "issued_at": "1700000000000",
        ]))
        transport.on(.post, "/services/apexrest/CleverTap/InsertNPSFeedback", replies: [
            HTTPResponse(status: 503, json: [["message": "try later", "errorCode": "SERVER_UNAVAILABLE"]]),
            HTTPResponse(status: 200, text: #""Success""#),
        ])
        let destination = ApexRESTDestination(
            url: URL(string: "https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback")!)
        let first = await destination.deliver([DeliveryItem(id: "nps-1", payload: ["npsScore": 9])], using: transport)
        let second = await destination.deliver([DeliveryItem(id: "nps-1", payload: ["npsScore": 9])], using: transport)
        guard case .failed(let failure)? = first.first else {
            Issue.record("the 503 should fail the first attempt: \(first)")
            return
        }
        #expect(failure.errorCode == "SERVER_UNAVAILABLE" && failure.retryability == .transient)
        #expect(second == [.delivered(DeliveryReceipt(status: 200))])
        #expect(transport.requests(to: "/services/apexrest/CleverTap/InsertNPSFeedback").count == 2)
    }

    @Test func simulatedOrgPipeline() async throws {
        let clock = ManualClock()
        let org = SimulatedSalesforceOrg(clock: clock)    // https://acme.my.salesforce.com, client "ferry-client-id"
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.inject(.everyNthCall(3, .serverUnavailable))  // every third API call answers 503

        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: "ferry-client-id", clientSecret: Secret("ferry-client-secret"),
            transport: org, clock: clock)
        let finished = FerryMutex(0)                      // outcomes so far
        let progress = ProgressSignal()
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: org.endpoints.apexREST(
                mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))),
            transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            configuration: .init(concurrency: 1, batchLinger: .zero, outcomeHandler: { _ in
                finished.withLock { $0 += 1 }
                progress.signal()                         // wakes the test below: it never sleeps
            }), clock: clock)

        try await pipeline.send(contentsOf: (1...10).map {
            DeliveryItem(id: "nps-\($0)", payload: ["userId": .string("user-\($0)"), "npsScore": .int($0 % 11)])
        })
        // Retries wait on the clock: move it to each next deadline until every item is accounted for; in between,
        // wait for the next outcome or the next sleeper on the clock.
        let giveUp = ContinuousClock.now + .seconds(60)   // a safety net: a test that goes wrong fails, not hangs
        while ContinuousClock.now < giveUp {
            let seen = progress.generation
            if finished.withLock({ $0 }) == 10 { break }
            if let next = clock.nextDeadline {
                clock.advance(to: next)
            } else {
                await progress.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
            }
        }
        let report = await pipeline.shutdown().report

        #expect(report.delivered == 10)
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").count == 10)   // the 503s stored nothing
        #expect(org.counters.faultsByKind["SERVER_UNAVAILABLE"] == 4)
    }

    @Test func objectsAndClasses() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Feedback__c", fields: [
            .text("Name", length: 80, required: true),
            .number("Score__c"),
            .dateTime("Submitted__c"),
            .text("Delivery_Key__c", externalID: true, unique: true),
        ]))

        // The seed's class, statement for statement: 200 "Success", or 200 "Error: ..." with nothing stored.
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")

        // The class `ferry apex` generates: 201 on insert, 200 on a repeated Idempotency-Key, 400 JSON errors,
        // 200 for {"is_test": true} without storing.
        let spec = try ApexObjectSpec(
            object: "Survey_Response__c", fields: [try ApexFieldSpec(parsing: "Score:Number")],
            namespace: "CleverTap", mapping: "/SurveyResponse")
        org.register(generatedClassFor: spec)

        // Your own class: a closure with RestContext's request and the org's DML.
        org.register(SimulatedApexClass(name: "LeadIntake") { call in
            guard let email = try? JSONValue(parsing: call.body)["email"]?.stringValue else {
                return HTTPResponse(status: 400, json: [["errorCode": "INVALID_INPUT", "message": "email is required"]])
            }
            let record = try call.insert("Feedback__c", ["Name": .string(email)])
            return HTTPResponse(status: 201, json: ["id": .string(record.id)])
        }, namespace: "CleverTap", mapping: "/LeadIntake")

        // Each registration answers as the comments above say.
        let token = try await org.accessToken()
        let apex = "/services/apexrest/CleverTap"
        let seed = try await org.call(.post, "\(apex)/InsertNPSFeedback", json: ["userId": "u1", "npsScore": 9], token: token)
        #expect(seed.status == 200 && seed.bodyText == #""Success""#, "\(seed.bodyText)")
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").first?["CleverTap__npsScore__c"] == 9)
        let refused = try await org.call(.post, "\(apex)/InsertNPSFeedback", json: ["npsScore": "nine"], token: token)
        #expect(refused.status == 200 && refused.bodyText.contains("Error: "), "\(refused.bodyText)")
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").count == 1)

        let key: HTTPHeaders = ["Idempotency-Key": "survey-1"]
        let inserted = try await org.call(.post, "\(apex)/SurveyResponse", json: ["Score": 7], token: token, headers: key)
        #expect(inserted.status == 201, "\(inserted.bodyText)")
        let repeated = try await org.call(.post, "\(apex)/SurveyResponse", json: ["Score": 7], token: token, headers: key)
        #expect(repeated.status == 200, "\(repeated.bodyText)")
        #expect(org.records(of: "CleverTap__Survey_Response__c").count == 1)

        let lead = try await org.call(.post, "\(apex)/LeadIntake", json: ["email": "ada@example.com"], token: token)
        #expect(lead.status == 201)
        let leadID = try #require(lead.json?["id"]?.stringValue)
        #expect(org.records(of: "Feedback__c").map(\.id) == [leadID])
        #expect(org.records(of: "Feedback__c").first?["Name"] == "ada@example.com")
        let noEmail = try await org.call(.post, "\(apex)/LeadIntake", json: ["name": "Ada"], token: token)
        #expect(noEmail.status == 400 && noEmail.bodyText.contains("INVALID_INPUT"))
    }

    @Test func faults() async throws {
        let clock = ManualClock()
        let org = SimulatedSalesforceOrg(clock: clock)
        org.register(try SimulatedObject("Feedback__c", fields: [
            .text("Name", length: 80, required: true), .text("Delivery_Key__c", externalID: true, unique: true),
        ]))
        org.inject(.everyNthCall(2, .internalErrorAfterWrite, on: .collections))
        org.inject(.sequence([nil, nil, .unableToLockRow], on: .collections))   // call 3: the 2nd is the rule above's
        org.inject(.everyNthCall(1, .latency(.milliseconds(300))))
        org.failTokenRequests(next: 1)

        // What the guide says next: Collections upserts keyed on Delivery_Key__c survive all of these with every
        // record stored once; the same run with `.create` stores the batches hit by `.internalErrorAfterWrite` twice.
        let key = try APIName("Delivery_Key__c")
        let upserts = try await Self.sendFeedback(
            (1...20).map { ["Name": .string("upsert \($0)"), "Delivery_Key__c": .string("K-\($0)")] },
            to: org, clock: clock, mode: .upsert(externalIDField: key))
        #expect(upserts.delivered == 20 && upserts.failed == 0)
        let stored = org.records(of: "Feedback__c")
        #expect(stored.count == 20)
        #expect(Set(stored.compactMap { $0["Delivery_Key__c"]?.stringValue }).count == 20)
        #expect(org.counters.faultsByKind["INTERNAL_ERROR_AFTER_WRITE", default: 0] > 0)   // the faults did happen
        #expect(org.counters.faultsByKind["UNABLE_TO_LOCK_ROW", default: 0] == 1, "\(org.counters)")
        #expect(org.counters.tokenRequests == 2, "\(org.counters)")          // the first one answered 503

        let creates = try await Self.sendFeedback(
            (1...20).map { ["Name": .string("create \($0)")] }, to: org, clock: clock, mode: .create)
        #expect(creates.delivered == 20)
        let created = org.records(of: "Feedback__c").filter { $0["Name"]?.stringValue?.hasPrefix("create ") == true }
        #expect(created.count > 20, "a 500 after the write should have stored a batch twice")
    }

    /// Sends `payloads` to Feedback__c through sObject Collections (5 records a request) and a pipeline on `clock`.
    static func sendFeedback(
        _ payloads: [JSONValue], to org: SimulatedSalesforceOrg, clock: ManualClock, mode: SObjectWriteMode
    ) async throws -> DeliveryReport {
        let destination = SObjectCollectionsDestination(
            endpoints: org.endpoints, object: try APIName("Feedback__c"), mode: mode, batchSize: 5)
        let log = OutcomeLog()
        let pipeline = try IntegrationTests.pipeline(org, clock, destination, log)
        let prefix = UUID().uuidString
        try await pipeline.send(contentsOf: payloads.enumerated().map {
            DeliveryItem(id: "\(prefix)-\($0.offset)", payload: $0.element)
        })
        await drive(clock) { log.count == payloads.count }
        return await pipeline.shutdown().report
    }

    @Test func readingBack() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Feedback__c", fields: [.text("Name", length: 80, required: true)]))
        _ = try org.insert("Feedback__c", ["Name": "seeded by the test"])       // seed data directly

        let records = org.records(of: "Feedback__c")          // in creation order
        #expect(records.first?["Name"] == "seeded by the test")
        #expect(records.first?.id.count == 18)
        let counters = org.counters                           // tokenRequests, tokensIssued, apiCalls, apiUsage,
        #expect(counters.apiCalls == 0)                       // sessionsRefused, faultsInjected, faultsByKind, callsByPath
        #expect(org.requests.isEmpty)                         // every request received, secrets redacted
    }

    @Test func sessions() async throws {
        let clock = ManualClock()
        let org = SimulatedSalesforceOrg(
            configuration: .init(sessionLifetime: .seconds(900), dailyAPILimit: 1_000), clock: clock)
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: "ferry-client-id", clientSecret: Secret("ferry-client-secret"),
            expiry: .automatic(sessionLifetime: .seconds(7200)), transport: org, clock: clock)
        _ = try await tokens.token()
        clock.advance(by: .seconds(901))    // the org ended the session; the provider still believes in its token
        #expect(org.activeSessionCount == 0)
    }

    @Test func loopbackServer() async throws {
        let server = try LoopbackHTTPServer { request in
            request.url.path == "/slow" ? .hang : .response(HTTPResponse(status: 200, text: "ok"))
        }
        defer { server.stop() }
        let reply = try await URLSessionTransport().send(HTTPRequest(method: .get, url: server.url(path: "/hello")))
        #expect(reply.bodyText == "ok")
    }

    @Test func orgOnLoopback() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let tokens = try ClientCredentialsTokenProvider.salesforce(
            org: try SalesforceOrg(server.baseURL.absoluteString), clientID: "ferry-client-id",
            clientSecret: Secret("ferry-client-secret"), transport: URLSessionTransport())
        #expect(try await tokens.token().value.contains("!"))
    }

    /// Testing.md: a host's own transport through the conformance suite (here URLSessionTransport, as a host
    /// wrapping it would).
    @Test(arguments: TransportConformance.checks)
    func conforms(_ check: TransportConformance.Check) async throws {
        let conformance = TransportConformance { settings in
            URLSessionTransport(configuration: .init(
                requestTimeout: settings.requestTimeout, maximumResponseBodySize: settings.maximumResponseBodySize,
                maximumConnectionsPerHost: settings.concurrency))
        }
        try await conformance.run(check)
    }
}
