import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: fault injection")
struct FaultInjectionTests {
    static let create = "\(v66)/sobjects/Feedback__c/"

    @Test("every n-th call answers 503 SERVER_UNAVAILABLE and writes nothing")
    func everyNth() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.everyNthCall(2, .serverUnavailable))
        let token = try await org.accessToken()
        var statuses: [Int] = []
        for index in 0..<5 {
            let reply = try await org.call(.post, Self.create, json: ["Name": .string("n\(index)")], token: token)
            statuses.append(reply.status)
            if reply.status == 503 {
                #expect(reply.json?[0]?["errorCode"] == "SERVER_UNAVAILABLE")
                #expect(reply.headers["Sforce-Limit-Info"] != nil)
            }
        }
        #expect(statuses == [201, 503, 201, 503, 201])
        #expect(org.records(of: "Feedback__c").map { $0["Name"] } == ["n0", "n2", "n4"])
        #expect(org.counters.faultsInjected == 2)
        #expect(org.counters.faultsByKind == ["SERVER_UNAVAILABLE": 2])
        #expect(org.requests.filter { $0.fault == .serverUnavailable }.count == 2)
    }

    @Test("a scripted sequence and a limited rule combine, each counting its own calls")
    func sequenceAndNext() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.sequence([nil, .requestLimitExceeded, nil, .serverUnavailable, nil, .concurrentRequestLimit]))
        org.inject(.nextCalls(1, .serverUnavailable))
        let token = try await org.accessToken()
        var replies: [HTTPResponse] = []
        for _ in 0..<6 { replies.append(try await org.call(.post, Self.create, json: ["Name": "n"], token: token)) }
        #expect(replies.map(\.status) == [503, 403, 201, 503, 201, 403])
        #expect(replies[1].json == [["message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"]])
        #expect(replies[5].json?[0]?["errorCode"] == "REQUEST_LIMIT_EXCEEDED")
        #expect(replies[5].json?[0]?["message"]?.stringValue?.hasPrefix("ConcurrentPerOrgLongTxn Limit exceeded") == true)
        org.removeAllFaults()
        #expect(try await org.call(.post, Self.create, json: ["Name": "n"], token: token).status == 201)
    }

    @Test("a 500 after the write stores the record anyway; a malformed reply stores it too")
    func afterWrite() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.sequence([.internalErrorAfterWrite, .malformedReply]))
        let token = try await org.accessToken()
        let failed = try await org.call(.post, Self.create, json: ["Name": "a"], token: token)
        #expect(failed.status == 500)
        #expect(failed.json?[0]?["errorCode"] == "UNKNOWN_EXCEPTION")
        let garbled = try await org.call(.post, Self.create, json: ["Name": "b"], token: token)
        #expect(garbled.status == 201)
        #expect(garbled.json == nil)
        #expect(org.records(of: "Feedback__c").count == 2)
    }

    @Test("a lock fault meets each API as a DML statement would")
    func locks() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.register(generatedClassFor: try ApexRESTTests.spec())
        org.inject(.everyNthCall(1, .unableToLockRow))
        let token = try await org.accessToken()
        let single = try await org.call(.post, Self.create, json: ["Name": "a"], token: token)
        #expect(single.status == 400)
        #expect(single.json?[0]?["errorCode"] == "UNABLE_TO_LOCK_ROW")
        let batch = try await org.call(.post, "\(v66)/composite/sobjects", json: ["records": [
            ["attributes": ["type": "Feedback__c"], "Name": "a"], ["attributes": ["type": "Feedback__c"], "Name": "b"],
        ]], token: token)
        #expect(batch.status == 200)
        #expect(try SaveResult.decodeCollection(from: batch.body).map { $0.errors.first?.errorCode.rawValue } == ["UNABLE_TO_LOCK_ROW", "UNABLE_TO_LOCK_ROW"])
        let seed = try await org.call(.post, ApexRESTTests.npsPath, json: ["userId": "u", "npsScore": 1], token: token)
        #expect(seed.status == 200)
        #expect(seed.json?.stringValue?.hasPrefix("Error: Insert failed. First exception on row 0; first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record") == true)
        let generated = try await org.call(.post, "/services/apexrest/CleverTap/SurveyResponse", json: ["Score": 1], token: token)
        #expect(generated.status == 503)
        #expect(generated.json?[0]?["errorCode"] == "UNABLE_TO_LOCK_ROW")
        #expect(org.records(of: "Feedback__c").isEmpty)
        #expect(org.records(of: ApexRESTTests.npsObject).isEmpty)
        #expect(org.records(of: "Survey_Response__c").isEmpty)
    }

    @Test("faults can be limited to some paths")
    func scoped() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.inject(.everyNthCall(1, .serverUnavailable, on: .apexREST))
        org.inject(.everyNthCall(1, .requestLimitExceeded, on: .path("\(v66)/composite", method: .post)))
        let token = try await org.accessToken()
        #expect(try await org.call(.post, ApexRESTTests.npsPath, json: ["userId": "u"], token: token).status == 503)
        #expect(try await org.call(.post, Self.create, json: ["Name": "a"], token: token).status == 201)
        #expect(try await org.call(.post, "\(v66)/composite/sobjects", json: ["records": []], token: token).status == 403)
        #expect(try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token).status == 200)
    }

    @Test("latency holds the answer until the injected clock has moved, and adds to other faults")
    func latency() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.inject(.everyNthCall(1, .latency(.seconds(2))))
        org.inject(.everyNthCall(1, .latency(.seconds(1))))
        org.inject(.everyNthCall(1, .serverUnavailable))
        let token = try await org.accessToken()
        let start = clock.now
        let call = Task { try await org.call(.post, Self.create, json: ["Name": "a"], token: token) }
        await clock.waitForSleepers(count: 1)
        #expect(clock.nextDeadline == start.addingTimeInterval(3))
        clock.advance(by: .seconds(3))
        let reply = try await call.value
        #expect(reply.status == 503)
        #expect(org.counters.faultsByKind == ["LATENCY": 2, "SERVER_UNAVAILABLE": 1])
    }
}
