import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: token endpoint")
struct TokenEndpointTests {
    @Test("a client-credentials token has Salesforce's exact shape and signature, and no expires_in")
    func successShape() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        let reply = try await org.tokenReply(
            "grant_type=client_credentials&client_id=\(Fixture.clientID)&client_secret=\(Fixture.secret)")
        #expect(reply.status == 200)
        let json = try #require(reply.json?.objectValue)
        #expect(json.keys == [
            "access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at", "api_instance_url",
        ])
        let token = try #require(json["access_token"]?.stringValue)
        #expect(token.hasPrefix("00D5g000004XYZa!"))
        #expect(json["scope"] == "api")
        #expect(json["token_type"] == "Bearer")
        #expect(json["instance_url"] == "https://acme.my.salesforce.com")
        #expect(json["id"] == "https://login.salesforce.com/id/00D5g000004XYZaEAO/0055g00000ZaEAOAAQ")
        // issued_at is a string of epoch milliseconds on the org's clock.
        #expect(json["issued_at"] == "1700000000000")
        // base64(HMAC-SHA256(secret, id + issued_at)), computed independently.
        #expect(json["signature"] == "oIc4rRKoYpC6dHgmZGoCcA51REcyL5Wg4BI2LbGg6vw=")
        #expect(json["expires_in"] == nil)
        #expect(json["refresh_token"] == nil)
        #expect(org.counters.tokensIssued == 1)
        #expect(org.activeSessionCount == 1)
    }

    @Test("the client may authenticate with HTTP Basic instead of the body")
    func basicAuthentication() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let basic = Data("\(Fixture.clientID):\(Fixture.secret)".utf8).base64EncodedString()
        let reply = try await org.tokenReply(
            "grant_type=client_credentials",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic \(basic)"])
        #expect(reply.status == 200)
        #expect(reply.json?["access_token"]?.stringValue?.contains("!") == true)
    }

    @Test("each refusal answers Salesforce's error and description", arguments: [
        ("grant_type=client_credentials&client_id=nope&client_secret=ferry-client-secret", "invalid_client_id", "client identifier invalid"),
        ("grant_type=client_credentials&client_id=ferry-client-id&client_secret=wrong", "invalid_client", "invalid client credentials"),
        ("grant_type=client_credentials", "invalid_client_id", "client identifier invalid"),
        ("grant_type=password&client_id=ferry-client-id&client_secret=ferry-client-secret", "unsupported_grant_type", "grant type not supported"),
        ("client_id=ferry-client-id&client_secret=ferry-client-secret", "unsupported_grant_type", "grant type not supported"),
        ("grant_type=client_credentials&scope=api&client_id=ferry-client-id&client_secret=ferry-client-secret", "invalid_request", "scope parameter not supported"),
        ("grant_type=client_credentials&client_id=no-run-as&client_secret=s", "invalid_grant", "no client credentials user enabled"),
        ("grant_type=client_credentials&client_id=no-scope&client_secret=s", "invalid_grant", "no valid scopes defined"),
    ])
    func refusals(form: String, error: String, description: String) async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(SimulatedClient(id: "no-run-as", secret: Secret("s"), hasRunAsUser: false))
        org.register(SimulatedClient(id: "no-scope", secret: Secret("s"), hasAPIScope: false))
        let reply = try await org.tokenReply(form)
        #expect(reply.status == 400)
        #expect(reply.json == ["error": .string(error), "error_description": .string(description)])
        #expect(org.counters.tokensIssued == 0)
    }

    @Test("recorded token requests keep neither the secret nor the Basic credentials")
    func redaction() async throws {
        let org = try Fixture.org(clock: ManualClock())
        _ = try await org.accessToken()
        let basic = Data("\(Fixture.clientID):\(Fixture.secret)".utf8).base64EncodedString()
        _ = try await org.tokenReply(
            "grant_type=client_credentials",
            headers: ["Content-Type": "application/x-www-form-urlencoded", "Authorization": "Basic \(basic)"])
        let everything = org.requests.map { "\($0) \($0.request.headers) \($0.bodyText)" }.joined(separator: "\n")
        #expect(!everything.contains(Fixture.secret))
        #expect(!everything.contains(basic))
        #expect(org.requests[0].bodyText.contains("client_secret=<redacted>"))
        #expect(org.requests[1].request.headers["Authorization"] == "Basic <redacted>")
        #expect(org.counters.tokenRequests == 2)
    }

    @Test("the SDK's Salesforce token provider gets a token from the org and computes its expiry from issued_at")
    func throughTheSDK() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        for authentication in [ClientAuthentication.basic, .body] {
            let provider = try ClientCredentialsTokenProvider.salesforce(
                org: org.org, clientID: Fixture.clientID, clientSecret: Secret(Fixture.secret),
                authentication: authentication, transport: org, clock: clock)
            let token = try await provider.token()
            #expect(token.value.contains("!"))
            #expect(token.instanceURL?.absoluteString == "https://acme.my.salesforce.com")
            #expect(token.expiresAt == clock.now.addingTimeInterval(7200))
        }
    }

    @Test("the SDK reports a wrong secret as invalid_client without showing the secret")
    func sdkWrongSecret() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: org.org, clientID: Fixture.clientID, clientSecret: Secret("not-the-secret"), transport: org,
            clock: ManualClock())
        let error = await #expect(throws: AuthError.self) { try await provider.token() }
        let text = String(describing: error)
        #expect(text.contains("invalid_client"))
        #expect(!text.contains("not-the-secret"))
    }

    @Test("the token endpoint can fail for the next requests, then recovers")
    func tokenEndpointFaults() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.failTokenRequests(next: 2)
        let form = "grant_type=client_credentials&client_id=\(Fixture.clientID)&client_secret=\(Fixture.secret)"
        let first = try await org.tokenReply(form)
        let second = try await org.tokenReply(form)
        let third = try await org.tokenReply(form)
        #expect(first.status == 503)
        #expect(first.headers["Content-Type"] == "text/html")
        #expect(second.status == 503)
        #expect(third.status == 200)
        #expect(org.counters.faultsByKind["TOKEN_ENDPOINT"] == 2)
        #expect(org.counters.tokenRequests == 3)
    }

    @Test("introspection reports the session's exp; revocation ends it")
    func introspectAndRevoke() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        let token = try await org.accessToken()
        let auth = "client_id=\(Fixture.clientID)&client_secret=\(Fixture.secret)"
        let active = try await org.send(HTTPRequest(
            method: .post, url: org.url("/services/oauth2/introspect"), body: Data("token=\(token)&\(auth)".utf8)))
        #expect(active.json?["active"] == true)
        #expect(active.json?["exp"]?.intValue == Int(clock.now.timeIntervalSince1970) + 7200)
        let revoked = try await org.send(HTTPRequest(
            method: .post, url: org.url("/services/oauth2/revoke"), body: Data("token=\(token)&\(auth)".utf8)))
        #expect(revoked.status == 200)
        let call = try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token)
        #expect(call.status == 401)
        let unknown = try await org.send(HTTPRequest(
            method: .post, url: org.url("/services/oauth2/revoke"), body: Data("token=nope&\(auth)".utf8)))
        #expect(unknown.json == ["error": "invalid_token", "error_description": "invalid token"])
    }
}
