import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: sessions and limits")
struct SessionAndLimitTests {
    static let expired: JSONValue = [["message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"]]

    @Test("an API call without a token, or with an unknown one, answers 401 INVALID_SESSION_ID", arguments: [nil, "00Dfake!token"])
    func noSession(token: String?) async throws {
        let org = try Fixture.org(clock: ManualClock())
        let reply = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "x"], token: token)
        #expect(reply.status == 401)
        #expect(reply.json == Self.expired)
        #expect(org.counters.sessionsRefused == 1)
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("a session expires after the configured lifetime on the injected clock")
    func expiry() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock) { $0.sessionLifetime = .seconds(600) }
        let token = try await org.accessToken()
        clock.advance(by: .seconds(599))
        let before = try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token)
        #expect(before.status == 200)
        clock.advance(by: .seconds(1))
        let after = try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token)
        #expect(after.status == 401)
        #expect(after.json == Self.expired)
        #expect(org.activeSessionCount == 0)
    }

    @Test("expireAllSessions refuses every token issued so far; a new token works")
    func expireAll() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let first = try await org.accessToken()
        let second = try await org.accessToken()
        org.expireAllSessions()
        for token in [first, second] {
            #expect(try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token).status == 401)
        }
        let fresh = try await org.accessToken()
        #expect(try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: fresh).status == 200)
    }

    @Test("every answer carries Sforce-Limit-Info; past the daily limit calls answer 403 REQUEST_LIMIT_EXCEEDED")
    func dailyLimit() async throws {
        let org = try Fixture.org(clock: ManualClock()) { $0.dailyAPILimit = 3 }
        let token = try await org.accessToken()
        for expected in 1...3 {
            let reply = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "n"], token: token)
            #expect(reply.status == 201)
            #expect(reply.headers["Sforce-Limit-Info"] == "api-usage=\(expected)/3")
            #expect(APIUsage(headers: reply.headers)?.apiUsage == APIUsage.Counter(used: expected, limit: 3))
        }
        let refused = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "n"], token: token)
        #expect(refused.status == 403)
        #expect(refused.json == [["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
        #expect(refused.headers["Sforce-Limit-Info"] == "api-usage=3/3")
        #expect(org.records(of: "Feedback__c").count == 3)
        #expect(org.counters.apiUsage == 3)
        #expect(org.counters.apiCalls == 4)
    }

    @Test("GET /services/data/ lists the versions without a session")
    func versions() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let reply = try await org.call(.get, "/services/data/", token: nil)
        #expect(reply.status == 200)
        #expect(reply.json?.arrayValue?.last == ["label": "Summer '26", "url": "/services/data/v67.0", "version": "67.0"])
        #expect(org.counters.apiUsage == 0)
    }

    @Test("a request to another host is refused like an unreachable server")
    func otherHost() async throws {
        let org = try Fixture.org(clock: ManualClock())
        await #expect(throws: TransportError.self) {
            _ = try await org.send(HTTPRequest(method: .get, url: URL(string: "https://evil.example.com/services/data/")!))
        }
    }

    @Test("a loopback base URL is accepted")
    func loopback() async throws {
        let org = SimulatedSalesforceOrg(
            configuration: .init(org: try SalesforceOrg("http://127.0.0.1:8080")), clock: ManualClock())
        let reply = try await org.tokenReply(
            "grant_type=client_credentials&client_id=\(Fixture.clientID)&client_secret=\(Fixture.secret)")
        #expect(reply.json?["instance_url"] == "http://127.0.0.1:8080")
    }

    @Test("recorded API requests keep no bearer token")
    func redaction() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        _ = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "n"], token: token)
        let text = org.requests.map { "\($0) \($0.request.headers) \($0.bodyText)" }.joined()
        #expect(!text.contains(token))
        #expect(org.requests.last?.request.headers["Authorization"] == "Bearer <redacted>")
        #expect(org.requests.last?.description == "POST https://acme.my.salesforce.com/services/data/v66.0/sobjects/Feedback__c/ -> 201")
    }

    @Test("concurrent writers each get their own record and id")
    func concurrency() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask {
                    _ = try? await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": .string("n\(index)")], token: token)
                }
            }
        }
        let records = org.records(of: "Feedback__c")
        #expect(records.count == 100)
        #expect(Set(records.map(\.id)).count == 100)
        // Foundation's URL.path drops the trailing slash.
        #expect(org.counters.calls(.post, "\(v66)/sobjects/Feedback__c") == 100)
    }
}

@Suite("Simulated org: over a real socket")
struct LoopbackTests {
    @Test("served on loopback, the org answers URLSessionTransport like any other client")
    func overLoopback() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: try SalesforceOrg(server.baseURL.absoluteString), clientID: Fixture.clientID,
            clientSecret: Secret(Fixture.secret), transport: URLSessionTransport(), clock: ManualClock())
        let token = try await provider.token()
        var request = HTTPRequest(method: .get, url: server.url(path: "\(v66)/sobjects/Feedback__c/describe"))
        request.headers["Authorization"] = token.authorizationHeaderValue
        let reply = try await URLSessionTransport().send(request)
        #expect(reply.status == 200)
        #expect(reply.headers["Sforce-Limit-Info"] == "api-usage=1/100000")
        #expect(org.counters.tokensIssued == 1)
    }
}

@Suite("Simulated org: read-back")
struct ReadBackTests {
    @Test("the request log keeps the most recent requests only, each with its answer")
    func requestLimit() async throws {
        let org = try Fixture.org(clock: ManualClock()) { $0.maximumRecordedRequests = 3 }
        let token = try await org.accessToken()
        for index in 0..<4 {
            _ = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": .string("n\(index)")], token: token)
        }
        #expect(org.requests.count == 3)
        #expect(org.requests.map(\.status) == [201, 201, 201])
        #expect(org.requests.compactMap { $0.json?["Name"]?.stringValue } == ["n1", "n2", "n3"])
        #expect(org.counters.calls(.post, "/services/oauth2/token") == 1)
    }

    @Test("the counters read as one line a person can follow")
    func countersDescription() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.nextCalls(1, .serverUnavailable))
        let token = try await org.accessToken()
        _ = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "a"], token: token)
        _ = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "a"], token: nil)
        #expect(org.counters.description
            == "1 token request (1 issued), 2 API calls (1 counted, 1 refused for the session), 1 fault (SERVER_UNAVAILABLE 1)")
    }
}
