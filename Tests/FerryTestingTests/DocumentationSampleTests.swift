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
        if case .failed(let failure)? = first.first {
            #expect(failure.errorCode == "SERVER_UNAVAILABLE" && failure.retryability == .transient)
        }
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
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: org.endpoints.apexREST(
                mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))),
            transport: org, tokenProvider: tokens, origin: org.org.baseURL,
            configuration: .init(concurrency: 1, batchLinger: .zero), clock: clock)

        try await pipeline.send(contentsOf: (1...10).map {
            DeliveryItem(id: "nps-\($0)", payload: ["userId": .string("user-\($0)"), "npsScore": .int($0 % 11)])
        })
        // Retries wait on the clock: move it to each next deadline until everything is accounted for.
        var steps = 0
        while pipeline.report.delivered + pipeline.report.failed < 10, steps < 10_000 {
            steps += 1
            try await Task.sleep(for: .milliseconds(1))
            if let next = clock.nextDeadline { clock.advance(to: next) }
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
    }

    @Test func faults() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Feedback__c", fields: [
            .text("Name", length: 80, required: true), .text("Delivery_Key__c", externalID: true, unique: true),
        ]))
        org.inject(.everyNthCall(2, .internalErrorAfterWrite, on: .collections))
        org.inject(.sequence([nil, .unableToLockRow], on: .collections))
        org.inject(.everyNthCall(1, .latency(.milliseconds(300))))
        org.failTokenRequests(next: 1)
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
