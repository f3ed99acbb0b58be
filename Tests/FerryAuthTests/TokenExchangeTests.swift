import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("Token exchange provider", .timeLimit(.minutes(1)))
struct TokenExchangeTests {
    static let subjectJWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyQGFjbWUuY29tIn0.c2lnbmF0dXJl"

    @Test("sends the RFC 8693 grant with the subject token and its type URN, and caches the result")
    func exchangeRequest() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in Fixtures.salesforce(n, issuedAt: clock.now) }
        let provider = try TokenExchangeTokenProvider(
            configuration: .init(
                tokenURL: Fixtures.tokenURL, clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
                authentication: .body, subjectTokenType: .jwt, requestedTokenType: .accessToken, audience: "acme"),
            subject: .closure { Secret(Self.subjectJWT) }, transport: transport, clock: clock)
        let token = try await provider.token()
        _ = try await provider.token()
        #expect(token.value == Fixtures.tokenValue(1))
        #expect(token.expiresAt == clock.now.addingTimeInterval(7200))
        #expect(transport.count == 1)
        let form = Fixtures.form(try #require(transport.requests.first))
        #expect(form == [
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": Self.subjectJWT,
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "requested_token_type": "urn:ietf:params:oauth:token-type:access_token", "audience": "acme",
            "client_id": Fixtures.clientID, "client_secret": Fixtures.clientSecret,
        ])
        #expect(!String(describing: provider).contains(Fixtures.clientSecret))
    }

    @Test("the subject token can come from another provider; a public client sends only client_id")
    func subjectFromProvider() async throws {
        let upstream = StaticTokenProvider(AccessToken(value: "upstream-access-token-0123456789", issuedAt: Date()))
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try TokenExchangeTokenProvider(
            configuration: .init(
                tokenURL: Fixtures.tokenURL, clientID: Fixtures.clientID, clientSecret: nil,
                subjectTokenType: .accessToken, expiry: .expiresIn),
            subject: .provider(upstream), transport: transport, clock: ManualClock())
        _ = try await provider.token()
        let request = try #require(transport.requests.first)
        #expect(request.headers["Authorization"] == nil)
        let form = Fixtures.form(request)
        #expect(form["subject_token"] == "upstream-access-token-0123456789")
        #expect(form["subject_token_type"] == "urn:ietf:params:oauth:token-type:access_token")
        #expect(form["client_id"] == Fixtures.clientID)
        #expect(form["client_secret"] == nil)
    }

    @Test("an exchange refused by the server maps to AuthError without echoing the subject token")
    func exchangeRefused() async throws {
        let transport = MockTransport(always: Fixtures.oauthError(
            400, "unsupported_grant_type", "token exchange not enabled for \(Self.subjectJWT)"))
        let provider = try TokenExchangeTokenProvider(
            configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "x", clientSecret: Secret("y-secret"),
                                 subjectTokenType: .jwt),
            subject: .closure { Secret(Self.subjectJWT) }, transport: transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.operation == "token exchange")
        #expect(error.remedy.contains("Token Exchange Flow"))
        #expect(!error.description.contains(Self.subjectJWT))
    }

    @Test("a failing subject source fails the exchange with its own error and sends nothing")
    func subjectFails() async throws {
        struct NoSubject: Error {}
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try TokenExchangeTokenProvider(
            configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "x", clientSecret: nil, subjectTokenType: .jwt),
            subject: .closure { throw NoSubject() }, transport: transport, clock: ManualClock())
        await #expect(throws: NoSubject.self) { try await provider.token() }
        #expect(transport.count == 0)
    }

    @Test("insecure URLs and introspection expiry are refused at creation")
    func configurationErrors() throws {
        #expect(throws: AuthError.self) {
            try TokenExchangeTokenProvider(
                configuration: .init(tokenURL: URL(string: "http://auth.example.com/token")!, clientID: "x",
                                     clientSecret: nil, subjectTokenType: .jwt),
                subject: .closure { Secret("s") }, transport: MockTransport(always: Fixtures.standard(1)))
        }
        #expect(throws: AuthError.self) {
            try TokenExchangeTokenProvider(
                configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "x", clientSecret: nil,
                                     subjectTokenType: .jwt, expiry: .introspection),
                subject: .closure { Secret("s") }, transport: MockTransport(always: Fixtures.standard(1)))
        }
    }
}
