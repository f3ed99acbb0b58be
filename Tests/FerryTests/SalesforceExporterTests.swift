import Ferry
import FerryTesting
import Foundation
import Testing

@Suite("SalesforceExporter")
struct SalesforceExporterTests {
    static let tokenReply = HTTPResponse(status: 200, text: """
        {"access_token":"00D5g000004XYZ!AQ4AQtokenvalue","signature":"c2ln","scope":"api",\
        "instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D5g000004XYZAAA/0055g00000ABCDEAA4",\
        "token_type":"Bearer","issued_at":"1700000000000"}
        """)

    @Test("the seed's NPS flow in the shape of the README: token once, payload escaped, report")
    func npsFlow() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/oauth2/token", reply: Self.tokenReply)
        transport.on(.post, "/services/apexrest/CleverTap/InsertNPSFeedback", reply: HTTPResponse(status: 200, text: #""Success""#))
        let clientID = "3MVG9-consumer-key"
        let secret = "consumer-secret"
        let profile: JSONValue = ["Identity": "user-\"42\"", "Email": "jane@example.com"]
        let event: JSONValue = ["User Rating": 9]

        let exporter = try SalesforceExporter(
            org: .myDomain("https://acme.my.salesforce.com"),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#),
            transport: transport, configuration: .init(batchLinger: .zero), clock: ManualClock())
        try await exporter.send(["Profile": profile, "Event": event])
        try await exporter.send(["Profile": ["Identity": "user-43"], "Event": ["User Rating": 3]])
        _ = await exporter.shutdown()
        let report = await exporter.report

        #expect(report.delivered == 2)
        #expect(report.tokenRequests == 1)
        #expect(report.apiCalls == 2)
        #expect(transport.requests(to: "/services/oauth2/token").count == 1)
        let posts = transport.requests(to: "/services/apexrest/CleverTap/InsertNPSFeedback")
        #expect(posts.count == 2)
        #expect(posts.allSatisfy { $0.headers["Authorization"] == "Bearer 00D5g000004XYZ!AQ4AQtokenvalue" })
        // Two deliverers may send the two records in either order: find the first by its content.
        let bodies = try posts.map { try JSONValue(parsing: try #require($0.body)) }
        #expect(bodies.contains(["userId": "user-\"42\"", "npsScore": 9]))
    }

    @Test("names, hosts and templates are checked before anything is sent")
    func validation() throws {
        let transport = MockTransport()
        #expect(throws: SalesforceOrgError.self) {
            _ = try SalesforceExporter(
                org: .myDomain("https://login.salesforce.com"), credentials: .clientCredentials(id: "a", secret: "b"),
                destination: .apexREST(namespace: nil, mapping: "/X"), payload: .json("{}"), transport: transport)
        }
        #expect(throws: TemplateError.self) {
            _ = try SalesforceExporter(
                org: .myDomain("https://acme.my.salesforce.com"), credentials: .clientCredentials(id: "a", secret: "b"),
                destination: .apexREST(namespace: nil, mapping: "/X"), payload: .json(#"{"a": {{ x }"#), transport: transport)
        }
        #expect(throws: APINameError.self) {
            _ = try SalesforceExporter(
                org: .myDomain("https://acme.my.salesforce.com"), credentials: .clientCredentials(id: "a", secret: "b"),
                destination: .collections("Bad Name__c"), payload: .json("{}"), transport: transport)
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("a configuration with a wrong duration or attempt count is refused by init, before anything is sent",
          arguments: ["leaseDuration", "circuitBreaker.cooldown", "retryPolicy.maximumAttempts", "idlePollInterval"])
    func invalidConfiguration(setting: String) throws {
        let transport = MockTransport()
        var configuration = DeliveryPipeline.Configuration()
        switch setting {
        case "leaseDuration": configuration.leaseDuration = .seconds(-1)
        case "circuitBreaker.cooldown": configuration.circuitBreaker.cooldown = .zero
        case "retryPolicy.maximumAttempts": configuration.retryPolicy = ExponentialBackoff(maximumAttempts: 0)
        default: configuration.idlePollInterval = .zero
        }
        do {
            _ = try SalesforceExporter(
                org: .myDomain("https://acme.my.salesforce.com"), credentials: .clientCredentials(id: "a", secret: "b"),
                destination: .apexREST(namespace: nil, mapping: "/X"), payload: .json("{}"), transport: transport,
                configuration: configuration, clock: ManualClock())
            Issue.record("the exporter accepted an invalid \(setting)")
        } catch let error as ConfigurationError {
            #expect(error.setting == setting)
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("two exporters share one token provider and its token")
    func sharedProvider() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/oauth2/token", reply: Self.tokenReply)
        transport.on(.post, "/services/apexrest/*", reply: HTTPResponse(status: 200, text: #""Success""#))
        transport.on(.post, "/services/data/v66.0/composite/sobjects", reply: HTTPResponse(status: 200, text: #"[{"id":"a01","success":true,"errors":[]}]"#))
        let org = try SalesforceOrg.myDomain("https://acme.my.salesforce.com")
        // The token reply says it was issued at the manual clock's start.
        let clock = ManualClock()
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: org, clientID: "id", clientSecret: Secret("s"), transport: transport, clock: clock)
        let nps = try SalesforceExporter(
            org: org, credentials: .tokenProvider(provider), destination: .apexREST(namespace: "CleverTap", mapping: "/NPS"),
            payload: .json(#"{"score": {{ score }}}"#), transport: transport, configuration: .init(batchLinger: .zero),
            clock: clock)
        let leads = try SalesforceExporter(
            org: org, credentials: .tokenProvider(provider), destination: .collections("Lead"),
            payload: .json(#"{"LastName": "{{ name }}", "Company": "Acme"}"#), transport: transport,
            configuration: .init(batchLinger: .zero), clock: clock)
        try await nps.send(["score": 9])
        try await leads.send(["name": "Doe"])
        _ = await nps.shutdown()
        _ = await leads.shutdown()
        #expect(await nps.report.delivered == 1)
        #expect(await leads.report.delivered == 1)
        #expect(transport.requests(to: "/services/oauth2/token").count == 1)
    }
}
