import FerryAuth
import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import SalesforceModels
import Testing

/// Shared fixtures for destination tests.
enum Fixture {
    static let org = try! SalesforceOrg("https://acme.my.salesforce.com")
    static let endpoints = SalesforceEndpoints(org: org, version: APIVersion(major: 66))
    static let feedback = try! APIName("Feedback__c")
    static let deliveryKey = try! APIName("Delivery_Key__c")
    static let score = try! APIName("Score__c")
    static let apexURL = endpoints.apexREST(mapping: try! ApexURLMapping("/InsertNPSFeedback"), namespace: try! ApexNamespace("CleverTap"))
    static let token = AccessToken(value: "00D000000000001!AQ4AQFAKE", issuedAt: Date(timeIntervalSince1970: 0))

    static func item(_ id: String, _ payload: JSONValue) -> DeliveryItem { DeliveryItem(id: id, payload: payload) }
}

@Suite("Destinations")
struct DestinationTests {
    @Test("Apex REST: posts the payload with its idempotency key; \"Success\" is delivered")
    func apexSuccess() async throws {
        let transport = MockTransport()
        transport.on(.post, Fixture.apexURL.path, reply: HTTPResponse(status: 200, text: #""Success""#))
        let results = await ApexRESTDestination(url: Fixture.apexURL).deliver(
            [Fixture.item("nps-1", ["userId": "u1", "npsScore": 9])], using: transport)
        #expect(results == [.delivered(DeliveryReceipt(status: 200))])
        let request = try #require(transport.requests.first)
        #expect(request.url.absoluteString == "https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback")
        #expect(request.headers["Idempotency-Key"] == "nps-1")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.body == Data(#"{"userId":"u1","npsScore":9}"#.utf8))
    }

    @Test("Apex REST: a custom interpreter judges every reply, a plain \"Success\" too; the standard one's shortcut is its own")
    func apexCustomInterpreterSeesSuccess() async throws {
        let transport = MockTransport()
        transport.on(.post, Fixture.apexURL.path, reply: HTTPResponse(status: 200, text: #""Success""#))
        let strict = ClosureApexReplyInterpreter { response, _ in
            .failure(ApexFailure(
                kind: .recordRejected, status: response.status, message: "strict", retryAdvice: .final, remedy: "none"))
        }
        #expect(!strict.acceptsPlainSuccess)
        #expect(StandardApexReplyInterpreter().acceptsPlainSuccess)
        let results = await ApexRESTDestination(url: Fixture.apexURL, interpreter: strict).deliver(
            [Fixture.item("nps-1", ["userId": "u1"])], using: transport)
        guard case .failed(let failure) = try #require(results.first) else {
            Issue.record("a plain Success skipped the custom interpreter: \(results)")
            return
        }
        #expect(failure.message.contains("strict"))
    }

    @Test("Apex REST: a 200 \"Error: ...\" is a final failure carrying the message")
    func apexErrorString() async throws {
        let transport = MockTransport()
        transport.on(.post, Fixture.apexURL.path, reply: HTTPResponse(status: 200, text: #""Error: Insert failed. REQUIRED_FIELD_MISSING""#))
        let results = await ApexRESTDestination(url: Fixture.apexURL).deliver([Fixture.item("x", [:])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.retryability == .final)
        #expect(failure.message.contains("Insert failed"))
        #expect(failure.status == 200)
    }

    @Test("Apex REST: a 404 says the namespace is probably missing, and is final")
    func apexNotFound() async throws {
        let transport = MockTransport()
        transport.on(.post, "*", reply: HTTPResponse(status: 404, text: #"[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /InsertNPSFeedback"}]"#))
        let results = await ApexRESTDestination(url: Fixture.apexURL).deliver([Fixture.item("x", [:])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.errorCode == "NOT_FOUND")
        #expect(failure.retryability == .final)
        #expect(failure.message.lowercased().contains("namespace"))
    }

    @Test("Apex REST: 503 and 500 are transient; 403 REQUEST_LIMIT_EXCEEDED pauses longer; Retry-After is read",
          arguments: [
            (503, #"[{"errorCode":"SERVER_UNAVAILABLE","message":"down"}]"#, Retryability.transient),
            (500, #"[{"errorCode":"APEX_ERROR","message":"System.DmlException: Insert failed.\n\nClass.X.doPost: line 49, column 1"}]"#, .transient),
            (403, #"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]"#, .rateLimited),
            (400, #"[{"errorCode":"JSON_PARSER_ERROR","message":"Unexpected character"}]"#, .final),
          ])
    func apexStatuses(status: Int, body: String, expected: Retryability) async throws {
        let transport = MockTransport()
        transport.on(nil, "*", reply: HTTPResponse(status: status, headers: ["Retry-After": "7"], text: body))
        let results = await ApexRESTDestination(url: Fixture.apexURL).deliver([Fixture.item("x", [:])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.retryability == expected)
        #expect(failure.status == status)
        #expect(failure.retryAfter == .seconds(7))
    }

    @Test("a transport failure becomes a retryable failure with a Ferry code")
    func transportFailure() async throws {
        let transport = MockTransport()
        transport.on(nil, "*") { request in throw TransportError(.timeout, url: request.redactedURL) }
        let results = await ApexRESTDestination(url: Fixture.apexURL).deliver([Fixture.item("x", [:])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.errorCode == "TRANSPORT_TIMEOUT")
        #expect(failure.retryability == .transient)
        #expect(failure.status == nil)
    }

    @Test("sObject create posts the fields and reads the id")
    func sObjectCreate() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/data/v66.0/sobjects/Feedback__c", reply: HTTPResponse(status: 201, text: #"{"id":"a01xx0000000001","success":true,"errors":[]}"#))
        let destination = SObjectDestination(endpoints: Fixture.endpoints, object: Fixture.feedback)
        let results = await destination.deliver([Fixture.item("k1", ["Name": "NPS-1", "Score__c": 9])], using: transport)
        #expect(results == [.delivered(DeliveryReceipt(status: 201, salesforceID: "a01xx0000000001", created: nil))])
        #expect(transport.requests.first?.body == Data(#"{"Name":"NPS-1","Score__c":9}"#.utf8))
    }

    @Test("sObject upsert puts the escaped external ID in the URL and leaves it out of the body")
    func sObjectUpsert() async throws {
        let transport = MockTransport()
        transport.on(.patch, "*", replies: [HTTPResponse(status: 201, text: #"{"id":"a01","success":true,"errors":[],"created":true}"#),
                                            HTTPResponse(status: 204)])
        let destination = SObjectDestination(endpoints: Fixture.endpoints, object: Fixture.feedback, mode: .upsert(externalIDField: Fixture.deliveryKey))
        let results = await destination.deliver(
            [Fixture.item("a", ["Delivery_Key__c": "key 1/2", "Score__c": 9]), Fixture.item("b", ["Delivery_Key__c": "k2"])],
            using: transport)
        #expect(results == [.delivered(DeliveryReceipt(status: 201, salesforceID: "a01", created: true)),
                            .delivered(DeliveryReceipt(status: 204, salesforceID: nil, created: false))])
        let first = try #require(transport.requests.first)
        #expect(first.url.absoluteString.hasSuffix("/sobjects/Feedback__c/Delivery_Key__c/key%201%2F2"))
        #expect(first.body == Data(#"{"Score__c":9}"#.utf8))
    }

    @Test("sObject: missing external ID, a non-object payload and 300 multiple matches are final failures")
    func sObjectFinalFailures() async throws {
        let transport = MockTransport()
        transport.on(.patch, "*", reply: HTTPResponse(status: 300, text: #"["/services/data/v66.0/sobjects/Feedback__c/a01","/services/data/v66.0/sobjects/Feedback__c/a02"]"#))
        let destination = SObjectDestination(endpoints: Fixture.endpoints, object: Fixture.feedback, mode: .upsert(externalIDField: Fixture.deliveryKey))
        let results = await destination.deliver(
            [Fixture.item("a", ["Score__c": 1]), Fixture.item("b", [1, 2]), Fixture.item("c", ["Delivery_Key__c": "dup"])],
            using: transport)
        let codes = results.map { result -> String? in
            if case .failed(let failure) = result, failure.retryability == .final { return failure.errorCode.rawValue }
            return nil
        }
        #expect(codes == ["EXTERNAL_ID_MISSING", "PAYLOAD_NOT_OBJECT", "MULTIPLE_CHOICES"])
        #expect(transport.requests.count == 1)
    }

    @Test("sObject: a Salesforce error array gives code, fields and advice")
    func sObjectErrorArray() async throws {
        let transport = MockTransport()
        transport.on(.post, "*", reply: HTTPResponse(status: 400, text: #"[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]"#))
        let results = await SObjectDestination(endpoints: Fixture.endpoints, object: Fixture.feedback)
            .deliver([Fixture.item("a", ["Score__c": 1])], using: transport)
        guard case .failed(let failure) = results.first else { Issue.record("expected a failure"); return }
        #expect(failure.errorCode == "REQUIRED_FIELD_MISSING")
        #expect(failure.message.contains("Required fields are missing: [Name]"))
        #expect(failure.message.contains("fields: Name"))
        #expect(failure.retryability == .final)
    }

    @Test("Collections: one request for the batch; per-record results map back in order")
    func collections() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/data/v66.0/composite/sobjects", reply: HTTPResponse(status: 200, text: """
            [{"id":"a01","success":true,"errors":[]},
             {"id":null,"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]},
             {"id":null,"success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record or 1 records: a01"}]},
             {"id":"a04","success":true,"errors":[]}]
            """))
        let destination = SObjectCollectionsDestination(endpoints: Fixture.endpoints, object: Fixture.feedback)
        let batch = [Fixture.item("1", ["Name": "a"]), Fixture.item("2", [:]), Fixture.item("3", ["Name": "c"]), Fixture.item("4", ["Name": "d"])]
        let results = await destination.deliver(batch, using: transport)
        #expect(destination.maximumBatchSize == 200)
        #expect(transport.requests.count == 1)
        let body = try JSONValue(parsing: try #require(transport.requests.first?.body))
        #expect(body["allOrNone"] == false)
        #expect(body["records"]?[0] == ["attributes": ["type": "Feedback__c"], "Name": "a"])
        #expect(body["records"]?[0]?.objectValue?.keys.first == "attributes")
        guard case .delivered(let first) = results[0], case .failed(let second) = results[1],
            case .failed(let third) = results[2], case .delivered(let fourth) = results[3]
        else { Issue.record("unexpected results \(results)"); return }
        #expect(first.salesforceID == "a01")
        #expect(second.errorCode == "REQUIRED_FIELD_MISSING" && second.retryability == .final)
        #expect(third.errorCode == "UNABLE_TO_LOCK_ROW" && third.retryability == .transient)
        #expect(fourth.salesforceID == "a04")
    }

    @Test("Collections upsert uses PATCH on the external ID path; a whole-request error fails every record")
    func collectionsUpsertAndWholeFailure() async throws {
        let transport = MockTransport()
        transport.on(.patch, "/services/data/v66.0/composite/sobjects/Feedback__c/Delivery_Key__c",
                     reply: HTTPResponse(status: 503, text: #"[{"errorCode":"SERVER_UNAVAILABLE","message":"maintenance"}]"#))
        let destination = SObjectCollectionsDestination(
            endpoints: Fixture.endpoints, object: Fixture.feedback, mode: .upsert(externalIDField: Fixture.deliveryKey))
        let results = await destination.deliver(
            [Fixture.item("1", ["Delivery_Key__c": "1"]), Fixture.item("2", ["Delivery_Key__c": "2"]), Fixture.item("3", ["Name": "no key"])],
            using: transport)
        #expect(transport.requests.count == 1)
        let codes = results.map { result -> String in
            if case .failed(let failure) = result { return failure.errorCode.rawValue }
            return "delivered"
        }
        #expect(codes == ["SERVER_UNAVAILABLE", "SERVER_UNAVAILABLE", "EXTERNAL_ID_MISSING"])
    }

    @Test("Collections: results that cannot be matched to records are reported, not guessed")
    func collectionsCountMismatch() async throws {
        let transport = MockTransport()
        transport.on(.post, "*", reply: HTTPResponse(status: 200, text: #"[{"id":"a01","success":true,"errors":[]}]"#))
        let destination = SObjectCollectionsDestination(endpoints: Fixture.endpoints, object: Fixture.feedback)
        let results = await destination.deliver([Fixture.item("1", ["Name": "a"]), Fixture.item("2", ["Name": "b"])], using: transport)
        for result in results {
            guard case .failed(let failure) = result else { Issue.record("expected failures"); continue }
            #expect(failure.errorCode == "UNREADABLE_RESULTS")
            #expect(failure.retryability == .final)
        }
    }
}

@Suite("AuthorizingTransport")
struct AuthorizingTransportTests {
    @Test("attaches the bearer token and reports answers")
    func bearer() async throws {
        let transport = MockTransport()
        transport.on(nil, "*", reply: HTTPResponse(status: 200, headers: ["Sforce-Limit-Info": "api-usage=18/5000"], text: "ok"))
        let seen = FerryMutex<[AuthorizingTransport.Observation]>([])
        let authorising = AuthorizingTransport(
            tokenProvider: StaticTokenProvider(Fixture.token), transport: transport, origin: Fixture.org.baseURL,
            observer: { observation in seen.withLock { $0.append(observation) } })
        _ = try await authorising.send(HTTPRequest(method: .get, url: Fixture.org.baseURL.appendingPathComponent("x")))
        #expect(transport.requests.first?.headers["Authorization"] == "Bearer 00D000000000001!AQ4AQFAKE")
        // A static token is never fetched: only the answer is reported.
        let observations = seen.withLock { $0 }
        #expect(observations == [.response(status: 200, headers: ["Sforce-Limit-Info": "api-usage=18/5000"])])
    }

    @Test("never sends the token to another origin")
    func otherOrigin() async throws {
        let transport = MockTransport()
        let authorising = AuthorizingTransport(
            tokenProvider: StaticTokenProvider(Fixture.token), transport: transport, origin: Fixture.org.baseURL)
        for url in ["https://evil.example.com/x", "http://acme.my.salesforce.com/x", "https://acme.my.salesforce.com:8443/x"] {
            let error = await #expect(throws: TransportError.self) {
                _ = try await authorising.send(HTTPRequest(method: .get, url: URL(string: url)!))
            }
            #expect(error?.kind == .invalidURL)
            #expect(error?.description.contains("AQ4AQ") == false)
        }
        #expect(transport.requests.isEmpty)
    }

    @Test("a burst of 401s causes one token refresh, and each request is replayed once")
    func burstOf401() async throws {
        let clock = ManualClock()
        let fetches = FerryMutex(0)
        let provider = CachingTokenProvider(clock: clock) {
            let n = fetches.withLock { count -> Int in
                count += 1
                return count
            }
            return AccessToken(value: "token-\(n)", issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(7200))
        }
        let transport = MockTransport()
        transport.on(nil, "*") { request in
            request.headers["Authorization"] == "Bearer token-1"
                ? HTTPResponse(status: 401, text: #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#)
                : HTTPResponse(status: 200, text: #""Success""#)
        }
        let reportedFetches = FerryMutex(0)
        let authorising = AuthorizingTransport(
            tokenProvider: provider, transport: transport, origin: Fixture.org.baseURL,
            observer: { if $0 == .tokenFetched { reportedFetches.withLock { $0 += 1 } } })
        // Warm the cache with token-1, then let 50 requests hit the 401 at once.
        _ = try await provider.token()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { try await authorising.send(HTTPRequest(method: .post, url: Fixture.apexURL)).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        #expect(fetches.withLock { $0 } == 2)
        // The fetches reported are the provider's own: the warm-up and the one refresh.
        #expect(reportedFetches.withLock { $0 } == 2)
        #expect(transport.requests.count <= 100)
    }

    @Test("fetch reports stop when the last copy of the transport goes away")
    func subscriptionEndsWithTransport() async throws {
        let clock = ManualClock()
        let provider = CachingTokenProvider(clock: clock) {
            AccessToken(value: "token", issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(7200))
        }
        let source = try #require(provider.events)
        do {
            let authorising = AuthorizingTransport(
                tokenProvider: provider, transport: MockTransport(), origin: Fixture.org.baseURL, observer: { _ in })
            #expect(source.subscriberCount == 1)
            _ = authorising
        }
        #expect(source.subscriberCount == 0)
    }

    @Test("a second 401 after the replay is returned as it is")
    func second401() async throws {
        let transport = MockTransport()
        transport.on(nil, "*", reply: HTTPResponse(status: 401, text: #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#))
        let authorising = AuthorizingTransport(
            tokenProvider: StaticTokenProvider(Fixture.token), transport: transport, origin: Fixture.org.baseURL)
        let response = try await authorising.send(HTTPRequest(method: .post, url: Fixture.apexURL))
        #expect(response.status == 401)
        #expect(transport.requests.count == 2)
    }
}
