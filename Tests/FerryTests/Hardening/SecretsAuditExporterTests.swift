import Ferry
import FerryTesting
import Foundation
import Testing

/// The secrets audit of the library: `SalesforceExporter` with a distinctive secret, against an org issuing
/// distinctive tokens, through faults and failures; every report, outcome, event and error, printed every way,
/// is searched for them. And the checks that a token goes only to the org's own origin over HTTPS (or loopback).
@Suite("Hardening: secrets audit of the exporter, and where tokens may go")
struct SecretsAuditExporterTests {
    /// Runs an exporter against `org` and returns every rendering of what it produced.
    static func exercise(_ org: SimulatedSalesforceOrg, secret: String, clock: ManualClock) async throws -> [String: String] {
        let outcomes = FerryMutex<[DeliveryOutcome]>([])
        let exporter = try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: SecretsAudit.clientID, secret: secret),
            destination: .apexREST(namespace: nil, mapping: FaultMatrixHarness.spec.mapping.path),
            payload: .json(#"{% if Skip %}{% abort "skipped" %}{% endif %}{"Score": {{ Score }}, "Comment": "{{ Comment }}"}"#),
            transport: ConcealedTransport(org: org),
            configuration: .init(
                concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(maximumAttempts: 3, random: { 0.5 }),
                outcomeHandler: { outcome in outcomes.withLock { $0.append(outcome) } }),
            clock: clock)
        let stream = exporter.events()
        let collector = Task {
            var events: [DeliveryEvent] = []
            for await event in stream { events.append(event) }
            return events
        }
        var texts: [String: String] = [:]
        var tokenError = ""
        do {
            let token = try await exporter.tokenProvider.token()
            texts["token"] = SecretsAudit.renderings(token)
        } catch {
            tokenError = SecretsAudit.renderings(error)
        }
        texts["token error"] = tokenError
        for index in 1...8 {
            // Line 5 is not a number (the class answers 400 INVALID_INPUT); line 6 is aborted; line 7 does not render.
            let score: JSONValue = index == 5 ? "five" : .int(index)
            var context: JSONObject = ["Score": score, "Comment": .string("c\(index)")]
            if index == 6 { context["Skip"] = true }
            if index == 7 { context["Score"] = ["nested": true] }
            let result = try await exporter.send(.object(context), id: "audit-\(index)")
            texts["send result \(index)"] = SecretsAudit.renderings(result)
        }
        texts["exporter"] = SecretsAudit.renderings(exporter)
        texts["token provider"] = SecretsAudit.renderings(exporter.tokenProvider)
        let result = try await FaultMatrixHarness.finish(exporter, clock)
        do {
            try await exporter.send(["Score": 1], id: "late")
        } catch {
            texts["send after shutdown"] = SecretsAudit.renderings(error)
        }
        texts["shutdown result"] = SecretsAudit.renderings(result)
        texts["report"] = SecretsAudit.renderings(result.report) + SecretsAudit.json(result.report)
        let finished = outcomes.withLock { $0 }
        texts["outcomes"] = SecretsAudit.renderings(finished) + SecretsAudit.json(finished)
        texts["failures"] = finished.compactMap(\.failure).map { SecretsAudit.renderings($0) }.joined(separator: "\n")
        let events = await collector.value
        texts["events"] = events.map { SecretsAudit.renderings($0) + $0.name }.joined(separator: "\n")
        texts["org requests"] = org.requests.map { SecretsAudit.renderings($0) + $0.bodyText }.joined(separator: "\n")
        #expect(finished.count == 8)
        return texts
    }

    static func assertNoLeak(_ texts: [String: String], _ org: SimulatedSalesforceOrg) {
        let tokens = org.issuedAccessTokens
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            let leaks = SecretsAudit.leaks(in: text, tokens: tokens)
            #expect(leaks.isEmpty, "\(name) leaks \(leaks)")
        }
    }

    @Test("through 503s, revoked sessions, token endpoint failures, 500s after the write and bad records")
    func exporterWithFaults() async throws {
        let clock = ManualClock()
        let org = SecretsAudit.org(clock: clock)
        org.inject(.everyNthCall(3, .serverUnavailable))
        org.inject(.everyNthCall(4, .revokeSessions))
        org.inject(.nextCalls(1, .internalErrorAfterWrite))
        org.inject(.nextCalls(1, .redirect))
        org.failTokenRequests(next: 1)
        let texts = try await Self.exercise(org, secret: SecretsAudit.secret, clock: clock)
        #expect(org.counters.tokensIssued >= 2)
        #expect(texts["token"] != nil || texts["token error"]?.isEmpty == false)
        #expect(texts["failures"]?.contains("INVALID_INPUT") == true)
        Self.assertNoLeak(texts, org)
    }

    @Test("with a wrong secret: every failure, error and event")
    func exporterWithWrongSecret() async throws {
        let clock = ManualClock()
        let org = SecretsAudit.org(clock: clock)
        let texts = try await Self.exercise(org, secret: SecretsAudit.wrongSecret, clock: clock)
        #expect(texts["token error"]?.contains("invalid_client") == true)
        #expect(texts["failures"]?.contains("AUTH_INVALID_CLIENT") == true)
        #expect(org.counters.tokensIssued == 0)
        Self.assertNoLeak(texts, org)
    }

    // MARK: - Where tokens may go

    static let origin = URL(string: "https://acme.my.salesforce.com")!  // a literal URL

    static let foreignURLs = [
        "https://evil.example.com/services/apexrest/SurveyResponse",
        "http://acme.my.salesforce.com/services/apexrest/SurveyResponse",
        "https://acme.my.salesforce.com:8443/services/apexrest/SurveyResponse",
        "https://acme.my.salesforce.com.evil.example.com/services/apexrest/SurveyResponse",
        "https://acme.my.salesforce.com@evil.example.com/services/apexrest/SurveyResponse",
        "https://evil.example.com/https://acme.my.salesforce.com/services/apexrest/SurveyResponse",
    ]

    @Test("the authorising transport refuses any other origin before it asks for a token or sends", arguments: foreignURLs)
    func foreignOrigin(_ url: String) async throws {
        let mock = MockTransport()
        let tokens = CountingTokenProvider(value: "00D5g000004XYZa" + SecretsAudit.tokenInfix + SecretsAudit.tokenMarker + "tail")
        let transport = AuthorizingTransport(tokenProvider: tokens, transport: mock, origin: Self.origin)
        let request = HTTPRequest(method: .post, url: try #require(URL(string: url)), body: Data("{}".utf8))
        do {
            _ = try await transport.send(request)
            Issue.record("sent to \(url)")
        } catch let error as TransportError {
            #expect(error.kind == .invalidURL)
            #expect(SecretsAudit.leaks(in: SecretsAudit.renderings(error), tokens: [tokens.accessToken.value]).isEmpty)
        }
        #expect(mock.requests.isEmpty)
        #expect(tokens.calls.withLock { $0 } == 0)
    }

    @Test("the authorising transport sends the token to the org's own origin")
    func ownOrigin() async throws {
        let mock = MockTransport()
        mock.on(.post, "/services/apexrest/SurveyResponse", reply: HTTPResponse(status: 200, text: "\"Success\""))
        let tokens = CountingTokenProvider(value: "00D5g000004XYZa!AQ4AQ-own-origin-token")
        let transport = AuthorizingTransport(tokenProvider: tokens, transport: mock, origin: Self.origin)
        let url = try #require(URL(string: "https://ACME.my.salesforce.com:443/services/apexrest/SurveyResponse"))
        #expect(try await transport.send(HTTPRequest(method: .post, url: url)).status == 200)
        #expect(mock.requests.first?.headers["Authorization"] == "Bearer 00D5g000004XYZa!AQ4AQ-own-origin-token")
    }

    @Test("an exporter whose destination is on another host fails the items without fetching or sending a token")
    func exporterForeignDestination() async throws {
        let clock = ManualClock()
        let org = SecretsAudit.org(clock: clock)
        let evil = try #require(URL(string: "https://evil.example.com/services/apexrest/SurveyResponse"))
        let outcomes = FerryMutex<[DeliveryOutcome]>([])
        let exporter = try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: SecretsAudit.clientID, secret: SecretsAudit.secret),
            destination: .custom(ApexRESTDestination(url: evil)), payload: .json(#"{"Score": 1}"#), transport: org,
            configuration: .init(concurrency: 1, outcomeHandler: { outcome in outcomes.withLock { $0.append(outcome) } }),
            clock: clock)
        try await exporter.send([:], id: "foreign-1")
        let result = await exporter.shutdown()
        #expect(result.report.failed == 1)
        #expect(outcomes.withLock { $0.first?.failure?.errorCode } == "TRANSPORT_INVALID_URL")
        #expect(org.counters.tokenRequests == 0 && org.counters.apiCalls == 0)
    }

    @Test("URLSessionTransport refuses http:// to a non-loopback host and other schemes before sending", arguments: [
        "http://acme.my.salesforce.com/services/oauth2/token", "http://192.0.2.1:9/services/apexrest/x",
        "ftp://acme.my.salesforce.com/x", "file:///etc/passwd",
    ])
    func insecureURLs(_ url: String) async throws {
        let transport = URLSessionTransport(configuration: .init(connectTimeout: .seconds(1), requestTimeout: .seconds(1)))
        let request = HTTPRequest(
            method: .post, url: try #require(URL(string: url)),
            headers: ["Authorization": "Bearer 00D5g000004XYZa!AQ4AQ\(SecretsAudit.tokenMarker)"])
        await #expect { try await transport.send(request) } throws: { error in
            let kind = (error as? TransportError)?.kind
            return kind == .insecureURL || kind == .invalidURL
        }
    }

    @Test("an org or token endpoint on http:// to a non-loopback host, or on a login host, is refused", arguments: [
        "http://acme.my.salesforce.com", "https://login.salesforce.com", "https://test.salesforce.com",
        "https://acme.lightning.force.com",
    ])
    func refusedOrgs(_ domain: String) async throws {
        #expect(throws: (any Error).self) { try SalesforceOrg(domain) }
        let mock = MockTransport()
        #expect(throws: (any Error).self) {
            try ClientCredentialsTokenProvider.salesforce(
                myDomain: domain, clientID: SecretsAudit.clientID, clientSecret: Secret(SecretsAudit.secret), transport: mock)
        }
        #expect(mock.requests.isEmpty)
    }

    @Test("a redirect to another origin is not followed: the token never reaches it")
    func redirectNotFollowed() async throws {
        let other = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, text: "\"Success\"")) }
        defer { other.stop() }
        let location = other.url(path: "/stolen").absoluteString
        let org = try LoopbackHTTPServer { _ in
            .response(HTTPResponse(status: 302, headers: ["Location": location], text: ""))
        }
        defer { org.stop() }
        let tokens = CountingTokenProvider(value: "00D5g000004XYZa!AQ4AQ\(SecretsAudit.tokenMarker)redirected")
        let transport = AuthorizingTransport(tokenProvider: tokens, transport: URLSessionTransport(), origin: org.baseURL)
        let reply = try await transport.send(HTTPRequest(method: .post, url: org.url(path: "/services/apexrest/SurveyResponse")))
        #expect(reply.status == 302)
        #expect(org.requests.count == 1)
        #expect(other.requests.isEmpty)
        #expect(other.connectionsAccepted == 0)
    }

    @Test("a token reply naming another instance_url does not move the API calls there")
    func instanceURLIgnored() async throws {
        let mock = MockTransport()
        mock.on(.post, "/services/oauth2/token", reply: HTTPResponse(status: 200, json: [
            "access_token": "00D5g000004XYZa!AQ4AQ-instance-test", "instance_url": "https://evil.example.com",
            "token_type": "Bearer", "issued_at": "1764400000000", "id": "https://login.salesforce.com/id/00D5g000004XYZaEAO/0055g00000XYZaEAQ",
        ]))
        mock.on(.post, "/services/apexrest/SurveyResponse", reply: HTTPResponse(status: 200, text: "\"Success\""))
        let exporter = try SalesforceExporter(
            org: try SalesforceOrg("https://acme.my.salesforce.com"),
            credentials: .clientCredentials(id: SecretsAudit.clientID, secret: SecretsAudit.secret),
            destination: .apexREST(namespace: nil, mapping: "/SurveyResponse"), payload: .json(#"{"Score": 1}"#),
            transport: mock, configuration: .init(concurrency: 1), clock: ManualClock())
        try await exporter.send([:], id: "instance-1")
        let result = await exporter.shutdown()
        #expect(result.report.delivered == 1)
        #expect(mock.requests.count == 2)
        #expect(mock.requests.allSatisfy { $0.url.host == "acme.my.salesforce.com" && $0.url.scheme == "https" })
    }

    @Test("refusals are reported under the codes the Troubleshooting guide lists", arguments: [
        (TransportError.Kind.insecureURL, "TRANSPORT_INSECURE_URL"), (.invalidURL, "TRANSPORT_INVALID_URL"),
        (.connectionLost, "TRANSPORT_CONNECTION_LOST"), (.bodyTooLarge, "TRANSPORT_BODY_TOO_LARGE"),
        (.dnsFailure, "TRANSPORT_DNS_FAILURE"), (.tls, "TRANSPORT_TLS"),
    ])
    func refusalCodes(_ kind: TransportError.Kind, _ code: String) {
        let failure = DeliveryFailure(error: TransportError(kind, url: "http://acme.my.salesforce.com/services/apexrest/x"))
        #expect(failure.errorCode.rawValue == code)
    }
}
