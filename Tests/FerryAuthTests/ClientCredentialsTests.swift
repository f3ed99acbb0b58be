import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("Client credentials provider", .timeLimit(.minutes(1)))
struct ClientCredentialsTests {
    @Test("Basic authentication: form body with grant_type only, credentials in the Authorization header")
    func basicRequest() async throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        _ = try await provider.token()
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.url == Fixtures.tokenURL)
        #expect(request.headers["Content-Type"] == "application/x-www-form-urlencoded")
        #expect(request.headers["Accept"] == "application/json")
        let expected = Data("\(Fixtures.clientID):\(Fixtures.clientSecret)".utf8).base64EncodedString()
        #expect(request.headers["Authorization"] == "Basic \(expected)")
        #expect(Fixtures.form(request) == ["grant_type": "client_credentials"])
    }

    @Test("body authentication: client_id and client_secret in the form, no Authorization header, no scope")
    func bodyRequest() async throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try Fixtures.provider(transport, clock: ManualClock(), authentication: .body)
        _ = try await provider.token()
        let request = try #require(transport.requests.first)
        #expect(request.headers["Authorization"] == nil)
        #expect(Fixtures.form(request) == [
            "grant_type": "client_credentials", "client_id": Fixtures.clientID,
            "client_secret": Fixtures.clientSecret,
        ])
    }

    @Test("Basic credentials are form-encoded before base64 (RFC 6749 §2.3.1)")
    func basicEncodingOfSpecialCharacters() async throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try ClientCredentialsTokenProvider(
            configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "id:with space", clientSecret: Secret("p&ss=wörd")),
            transport: transport, clock: ManualClock())
        _ = try await provider.token()
        let header = try #require(transport.requests.first?.headers["Authorization"])
        let decoded = String(decoding: Data(base64Encoded: String(header.dropFirst("Basic ".count))) ?? Data(), as: UTF8.self)
        #expect(decoded == "id%3Awith%20space:p%26ss%3Dw%C3%B6rd")
    }

    @Test("scope and extra form parameters are sent only when configured")
    func scopeAndExtraParameters() async throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        var configuration = Fixtures.configuration()
        configuration.scope = "api refresh_token"
        configuration.additionalParameters = ["audience": "https://api.example.com", "format": "json"]
        let provider = try ClientCredentialsTokenProvider(configuration: configuration, transport: transport, clock: ManualClock())
        _ = try await provider.token()
        let request = try #require(transport.requests.first)
        #expect(Fixtures.form(request) == [
            "grant_type": "client_credentials", "scope": "api refresh_token", "audience": "https://api.example.com",
            "format": "json",
        ])
        #expect(String(decoding: request.body ?? Data(), as: UTF8.self).contains("scope=api%20refresh_token"))
    }

    struct ExpiryCase: Sendable, CustomTestStringConvertible {
        let name: String
        let expiry: TokenExpiry
        let fields: JSONObject
        /// Expected expiry, in seconds after the clock's start.
        let expected: Double
        var testDescription: String { name }
    }

    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    static let expiryCases: [ExpiryCase] = [
        ExpiryCase(name: "expires_in", expiry: .expiresIn, fields: ["expires_in": 3600], expected: 3600),
        ExpiryCase(name: "expires_in as a string", expiry: .expiresIn, fields: ["expires_in": "1800"], expected: 1800),
        ExpiryCase(name: "named field, seconds from now", expiry: .secondsFromNow(field: "ttl"), fields: ["ttl": 900],
                   expected: 900),
        ExpiryCase(name: "named field, epoch seconds", expiry: .epochSeconds(field: "expires_at"),
                   fields: ["expires_at": .int(1_700_000_000 + 7000)], expected: 7000),
        ExpiryCase(name: "named field, epoch milliseconds string", expiry: .epochMilliseconds(field: "exp_ms"),
                   fields: ["exp_ms": "1700000500000"], expected: 500),
        ExpiryCase(name: "issued_at (epoch ms string) + session lifetime", expiry: .sessionLifetime(.seconds(3600)),
                   fields: ["issued_at": "1699999900000"], expected: 3500),
        ExpiryCase(name: "issued_at in epoch seconds + default 2 h", expiry: .sessionLifetime(),
                   fields: ["issued_at": .int(1_699_999_900)], expected: 7100),
        ExpiryCase(name: "issued_at further back than clock skew explains counts from arrival", expiry: .sessionLifetime(),
                   fields: ["issued_at": .int(1_699_000_000)], expected: 7200),
        ExpiryCase(name: "issued_at later than the local clock uses the arrival time", expiry: .sessionLifetime(.seconds(7200)),
                   fields: ["issued_at": "1700000060000"], expected: 7200),
        ExpiryCase(name: "automatic without expires_in: Salesforce shape", expiry: .automatic(sessionLifetime: .seconds(900)),
                   fields: ["issued_at": "1700000000000"], expected: 900),
        ExpiryCase(name: "automatic with expires_in", expiry: .automatic(), fields: ["expires_in": 60], expected: 60),
        ExpiryCase(name: "fixed lifetime", expiry: .fixedLifetime(.seconds(1200)), fields: ["expires_in": 99_999],
                   expected: 1200),
    ]

    @Test("the expiry is read as configured", arguments: expiryCases)
    func expiryMapping(_ testCase: ExpiryCase) async throws {
        var fields = testCase.fields
        fields["access_token"] = .string(Fixtures.tokenValue(1))
        fields["token_type"] = "Bearer"
        let transport = MockTransport(always: HTTPResponse(status: 200, json: .object(fields)))
        let clock = ManualClock(now: Self.start)
        let provider = try Fixtures.provider(transport, clock: clock, expiry: testCase.expiry)
        let token = try await provider.token()
        let expiresAt = try #require(token.expiresAt)
        #expect(expiresAt.timeIntervalSince(Self.start) == testCase.expected)
    }

    @Test("a missing or non-numeric expiry field is a malformed response naming the field and the option")
    func missingExpiryField() async throws {
        let transport = MockTransport(always: Fixtures.salesforce(1, issuedAt: Self.start))
        let provider = try Fixtures.provider(transport, clock: ManualClock(), expiry: .expiresIn)
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .malformedResponse)
        #expect(error.description.contains("\"expires_in\" is missing"))
        #expect(error.description.contains("expiry option"))
        #expect(!error.description.contains(Fixtures.tokenValue(1)))

        let bad = MockTransport(always: HTTPResponse(status: 200, json: [
            "access_token": .string(Fixtures.tokenValue(1)), "expires_in": ["soon"],
        ]))
        let badProvider = try Fixtures.provider(bad, clock: ManualClock())
        let badError = try await #require(throws: AuthError.self) { try await badProvider.token() }
        #expect(badError.description.contains("\"expires_in\" is not a number (it is array)"))
    }

    @Test("the introspection endpoint's exp becomes the expiry")
    func introspectionExpiry() async throws {
        let clock = ManualClock(now: Self.start)
        let transport = MockTransport { request, _ in
            if request.url.path.hasSuffix("/introspect") {
                return HTTPResponse(status: 200, json: [
                    "active": true, "scope": "api", "client_id": .string(Fixtures.clientID), "username": "runas@acme.com",
                    "sub": "https://login.salesforce.com/id/00D/005", "token_type": "access_token",
                    "exp": .int(1_700_000_000 + 5400), "iat": .int(1_700_000_000), "nbf": .int(1_700_000_000),
                ])
            }
            return Fixtures.salesforce(1, issuedAt: Self.start)
        }
        let provider = try Fixtures.provider(transport, clock: clock, expiry: .introspection)
        let token = try await provider.token()
        #expect(token.expiresAt == Self.start.addingTimeInterval(5400))
        let introspection = transport.requests[1]
        #expect(Fixtures.form(introspection) == ["token": Fixtures.tokenValue(1), "token_type_hint": "access_token"])
        #expect(introspection.headers["Authorization"]?.hasPrefix("Basic ") == true)
    }

    @Test("an inactive token reported by introspection fails the fetch")
    func introspectionInactive() async throws {
        let transport = MockTransport { request, _ in
            request.url.path.hasSuffix("/introspect")
                ? HTTPResponse(status: 200, json: ["active": false])
                : Fixtures.salesforce(1, issuedAt: Self.start)
        }
        let provider = try Fixtures.provider(transport, clock: ManualClock(), expiry: .introspection)
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .inactiveToken)
    }

    @Test("introspect() and revoke() send the Salesforce request shapes")
    func introspectAndRevoke() async throws {
        let clock = ManualClock(now: Self.start)
        let transport = MockTransport { request, _ in
            switch request.url.path {
            case "/services/oauth2/introspect":
                HTTPResponse(status: 200, json: ["active": true, "exp": .int(1_700_003_600), "username": "runas@acme.com"])
            case "/services/oauth2/revoke":
                HTTPResponse(status: 200, text: "")
            default:
                Fixtures.salesforce(1, issuedAt: Self.start)
            }
        }
        let provider = try ClientCredentialsTokenProvider.salesforce(
            myDomain: "acme.my.salesforce.com", clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
            transport: transport, clock: clock)
        let token = try await provider.token()
        let info = try await provider.introspect(token)
        #expect(info.active)
        #expect(info.username == "runas@acme.com")
        #expect(info.expiresAt == Date(timeIntervalSince1970: 1_700_003_600))
        try await provider.revoke(token)
        let revoke = transport.requests[2]
        #expect(revoke.url.absoluteString == "https://acme.my.salesforce.com/services/oauth2/revoke")
        #expect(Fixtures.form(revoke) == ["token": Fixtures.tokenValue(1)])
        // Revocation also drops the cached token.
        _ = try await provider.token()
        #expect(transport.requests.last?.url.path == "/services/oauth2/token")
        #expect(transport.count == 4)
    }

    @Test("introspect() and revoke() without endpoints are configuration errors")
    func missingEndpoints() async throws {
        let transport = MockTransport(always: Fixtures.standard(1))
        let provider = try ClientCredentialsTokenProvider(
            configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "x", clientSecret: Secret("y")),
            transport: transport, clock: ManualClock())
        let token = AccessToken(value: "t", issuedAt: Date())
        let introspectError = try await #require(throws: AuthError.self) { try await provider.introspect(token) }
        #expect(introspectError.kind == .invalidConfiguration)
        let revokeError = try await #require(throws: AuthError.self) { try await provider.revoke(token) }
        #expect(revokeError.kind == .invalidConfiguration)
        #expect(transport.count == 0)
        #expect(throws: AuthError.self) {
            try ClientCredentialsTokenProvider(
                configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "x", clientSecret: Secret("y"),
                                     expiry: .introspection), transport: transport)
        }
    }

    @Test("plain http:// is refused for a remote host and accepted for loopback", arguments: [
        ("http://auth.example.com/token", false), ("http://127.0.0.1:8765/services/oauth2/token", true),
        ("http://localhost/token", true), ("ftp://auth.example.com/token", false), ("https://auth.example.com/token", true),
    ])
    func urlPolicy(_ url: String, _ accepted: Bool) throws {
        let make = {
            try ClientCredentialsTokenProvider(
                configuration: .init(tokenURL: URL(string: url)!, clientID: "x", clientSecret: Secret("y")),
                transport: MockTransport(always: Fixtures.standard(1)))
        }
        if accepted {
            _ = try make()
        } else {
            let error = try #require(throws: AuthError.self) { try make() }
            #expect(error.kind == .invalidConfiguration)
        }
    }

    @Test("an empty client id is refused before any request")
    func emptyClientID() throws {
        let error = try #require(throws: AuthError.self) {
            try ClientCredentialsTokenProvider(
                configuration: .init(tokenURL: Fixtures.tokenURL, clientID: "", clientSecret: Secret("y")),
                transport: MockTransport(always: Fixtures.standard(1)))
        }
        #expect(error.description.contains("client id is empty"))
    }

    @Test("fetchToken() always asks the server and leaves the cache alone")
    func fetchTokenBypassesCache() async throws {
        let transport = MockTransport { _, n in Fixtures.standard(n) }
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        #expect(try await provider.fetchToken().value == Fixtures.tokenValue(1))
        #expect(try await provider.fetchToken().value == Fixtures.tokenValue(2))
        #expect(try await provider.token().value == Fixtures.tokenValue(3))
        #expect(await provider.fetchesStarted == 1)
    }

    @Test("StaticTokenProvider returns its token; CustomTokenProvider calls its closures")
    func staticAndCustom() async throws {
        let token = AccessToken(value: Fixtures.tokenValue(7), issuedAt: Date())
        let fixed = StaticTokenProvider(token)
        await fixed.invalidate(token)
        #expect(try await fixed.token() == token)

        let calls = Counter()
        let invalidations = Counter()
        let custom = CustomTokenProvider(invalidate: { _ in invalidations.increment() }) {
            calls.increment()
            return token
        }
        _ = try await custom.token()
        _ = try await custom.token()
        await custom.invalidate(token)
        #expect(calls.current == 2)
        #expect(invalidations.current == 1)
    }

    @Test("expires_in with issued_at a year behind: one fetch for the token's life, not one per call")
    func expiresInWithSkewedIssuedAt() async throws {
        let yearBehind = Self.start.addingTimeInterval(-365 * 86_400)
        let transport = MockTransport(always: HTTPResponse(status: 200, json: [
            "access_token": .string(Fixtures.tokenValue(1)), "token_type": "Bearer", "expires_in": 3600,
            "issued_at": .string(String(Int64(yearBehind.timeIntervalSince1970 * 1000))),
        ]))
        let clock = ManualClock(now: Self.start)
        let provider = try Fixtures.provider(transport, clock: clock, expiry: .automatic())
        // 50 minutes of calls, all before the refresh window (the last 6 minutes of the hour).
        for _ in 0..<300 {
            _ = try await provider.token()
            clock.advance(by: .seconds(10))
        }
        #expect(transport.requests.count == 1)
    }
}
