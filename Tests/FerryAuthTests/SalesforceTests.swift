import Foundation
import Ferry
import FerryAuth
import FerryCore
import SalesforceModels
import Testing

@Suite("Salesforce provider", .timeLimit(.minutes(1)))
struct SalesforceTests {
    static let refused: [(String, String)] = [
        ("login.salesforce.com", "my.salesforce.com"),
        ("https://login.salesforce.com", "My Domain"),
        ("https://test.salesforce.com/", "sandbox.my.salesforce.com"),
        ("https://acme.lightning.force.com", "https://acme.my.salesforce.com"),
        ("acme--uat.sandbox.lightning.force.com", "https://acme--uat.sandbox.my.salesforce.com"),
        ("https://acme.my.salesforce-setup.com", "https://acme.my.salesforce.com"),
        ("acme--uat.sandbox.my.salesforce-setup.com", "https://acme--uat.sandbox.my.salesforce.com"),
    ]

    @Test("hosts the client credentials flow does not work on are refused before any request, with the fix",
          arguments: refused)
    func refusedHosts(_ domain: String, _ fix: String) throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let error = try #require(throws: SalesforceOrgError.self) {
            try ClientCredentialsTokenProvider.salesforce(
                myDomain: domain, clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
                transport: transport)
        }
        #expect(error.description.contains(fix))
        #expect(transport.count == 0)
    }

    static let malformed: [(String, String)] = [
        ("http://acme.my.salesforce.com", "https://"),
        ("https://acme.my.salesforce.com/services/oauth2/token", "https://acme.my.salesforce.com"),
        ("https://user:pw@acme.my.salesforce.com", "without a path, query or credentials"),
        ("", "not an org URL"),
        ("https://acme.my.salesforce.com?x=1", "without a path, query or credentials"),
    ]

    @Test("malformed or insecure My Domain values are refused before any request", arguments: malformed)
    func malformedDomains(_ domain: String, _ expected: String) throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let error = try #require(throws: SalesforceOrgError.self) {
            try ClientCredentialsTokenProvider.salesforce(
                myDomain: domain, clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
                transport: transport)
        }
        #expect(error.description.contains(expected))
        #expect(transport.count == 0)
    }

    @Test("accepted My Domain forms", arguments: [
        ("acme.my.salesforce.com", "https://acme.my.salesforce.com"),
        ("https://acme.my.salesforce.com/", "https://acme.my.salesforce.com"),
        (" https://ACME--uat.sandbox.my.salesforce.com ", "https://ACME--uat.sandbox.my.salesforce.com"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://localhost:9000/", "http://localhost:9000"),
    ])
    func acceptedDomains(_ domain: String, _ base: String) throws {
        let provider = try ClientCredentialsTokenProvider.salesforce(
            myDomain: domain, clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
            transport: MockTransport(always: Fixtures.standard(1)))
        #expect(provider.configuration.tokenURL.absoluteString.lowercased() == base.lowercased() + "/services/oauth2/token")
    }

    @Test("the Salesforce response shape: issued_at epoch ms string, instance_url, no expires_in, 2 h lifetime")
    func salesforceShape() async throws {
        let clock = ManualClock()
        let issued = clock.now.addingTimeInterval(-2)
        let transport = MockTransport(always: Fixtures.salesforce(1, issuedAt: issued))
        let provider = try ClientCredentialsTokenProvider.salesforce(
            myDomain: "https://acme.my.salesforce.com", clientID: Fixtures.clientID,
            clientSecret: Secret(Fixtures.clientSecret), transport: transport, clock: clock)
        let token = try await provider.token()
        let request = try #require(transport.requests.first)
        #expect(request.url.absoluteString == "https://acme.my.salesforce.com/services/oauth2/token")
        #expect(Fixtures.form(request)["scope"] == nil)
        #expect(token.value == Fixtures.tokenValue(1))
        #expect(token.type == "Bearer")
        #expect(token.authorizationHeaderValue == "Bearer \(Fixtures.tokenValue(1))")
        #expect(abs(token.issuedAt.timeIntervalSince(issued)) < 0.001)
        #expect(abs((token.expiresAt ?? .distantPast).timeIntervalSince(issued) - 7200) < 0.001)
        #expect(token.instanceURL?.absoluteString == "https://acme.my.salesforce.com")
        #expect(token.scope == "api")
        #expect(token.fields["id"]?.stringValue == "https://login.salesforce.com/id/00D5g000004XYZAAA/0055g00000ABCDEAA4")
        #expect(token.fields["signature"] != nil)
        #expect(token.fields["access_token"] == nil)
    }

    @Test("the session lifetime is configurable to the org's session timeout")
    func sessionLifetime() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in Fixtures.salesforce(n, issuedAt: clock.now) }
        let provider = try ClientCredentialsTokenProvider.salesforce(
            myDomain: "acme.my.salesforce.com", clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
            expiry: .automatic(sessionLifetime: .seconds(900)), transport: transport, clock: clock)
        let token = try await provider.token()
        #expect(token.expiresAt == clock.now.addingTimeInterval(900))
        // 15 min session: soft window is 90 s, so at 14 min a background refresh starts.
        clock.advance(by: .seconds(800))
        #expect(try await provider.token() == token)
        #expect(transport.count == 1)
        clock.advance(by: .seconds(20))
        #expect(try await provider.token() == token)
        while transport.count < 2 { await Task.yield() }
        #expect(transport.count == 2)
    }
}
