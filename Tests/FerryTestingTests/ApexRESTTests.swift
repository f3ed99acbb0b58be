import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: Apex REST")
struct ApexRESTTests {
    static let npsPath = "/services/apexrest/CleverTap/InsertNPSFeedback"
    static let npsObject = "CleverTap__CleverTap_NPS__c"

    static func npsOrg(clock: ManualClock = ManualClock(), zone: String = "GMT") throws -> SimulatedSalesforceOrg {
        let org = try Fixture.org(clock: clock) { $0.runAsUserTimeZone = TimeZone(identifier: zone) ?? .current }
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        return org
    }

    @Test("the seed's class stores the record and answers 200 \"Success\"")
    func npsSuccess() async throws {
        let org = try Self.npsOrg()
        let token = try await org.accessToken()
        let reply = try await org.call(
            .post, Self.npsPath, json: ["userId": "u-42", "npsScore": 9, "timestamp": "2026-11-29T18:52:51", "extra": 1],
            token: token)
        #expect(reply.status == 200)
        #expect(reply.bodyText == #""Success""#)
        let records = org.records(of: Self.npsObject)
        #expect(records.count == 1)
        #expect(records.first?.fields == [
            "Name": "NPS-u-42", "CleverTap__userId__c": "u-42", "CleverTap__npsScore__c": 9,
            "CleverTap__timestamp__c": "2026-11-29T18:52:51.000Z",
        ])
        #expect(StandardApexReplyInterpreter().interpret(reply, for: HTTPRequest(method: .post, url: org.url(Self.npsPath))).isSuccess)
    }

    @Test("the seed's class reads the timestamp in the Run As user's time zone, and uses now when it is blank")
    func npsTimestamps() async throws {
        let clock = ManualClock()
        let org = try Self.npsOrg(clock: clock, zone: "Asia/Kolkata")
        let token = try await org.accessToken()
        _ = try await org.call(.post, Self.npsPath, json: ["userId": "a", "npsScore": 1, "timestamp": "2026-11-29 18:52:51"], token: token)
        _ = try await org.call(.post, Self.npsPath, json: ["userId": "b", "npsScore": 1, "timestamp": ""], token: token)
        let records = org.records(of: Self.npsObject)
        #expect(records.map { $0["CleverTap__timestamp__c"] } == [
            "2026-11-29T13:22:51.000Z", .string(SalesforceDateTime(clock.now).description),
        ])
    }

    @Test("bad input is answered 200 \"Error: ...\" like the seed's catch-all, and nothing is stored", arguments: [
        (#"{"userId":"u","npsScore":"nine"}"#, "Error: Illegal value for primitive"),
        (#"{"userId":"u","npsScore":9.5}"#, "Error: Illegal value for primitive"),
        (#"{"userId":"u","npsScore":9,"timestamp":"2026-11-29T18:52:51.000Z"}"#, "Error: Invalid date/time: 2026-11-29 18:52:51.000Z"),
        (#"[1,2]"#, "Error: Malformed JSON: Expected '{' at the beginning of object"),
        ("", "Error: No content to map due to end-of-input at [line:1, column:0]"),
        (#"{"userId":"\#(String(repeating: "x", count: 80))","npsScore":9}"#,
         "Error: Insert failed. First exception on row 0; first error: STRING_TOO_LONG, Name: data value too large: NPS-\(String(repeating: "x", count: 80)) (max length=80): [Name]"),
    ])
    func npsErrors(body: String, expected: String) async throws {
        let org = try Self.npsOrg()
        let token = try await org.accessToken()
        let reply = try await org.call(.post, Self.npsPath, text: body, token: token, headers: ["Content-Type": "application/json"])
        #expect(reply.status == 200)
        #expect(reply.json == .string(expected))
        #expect(org.records(of: Self.npsObject).isEmpty)
        let verdict = StandardApexReplyInterpreter().interpret(reply, for: HTTPRequest(method: .post, url: org.url(Self.npsPath)))
        #expect(verdict.failure?.kind == .errorString)
    }

    @Test("a path without the namespace answers 404 Could not find a match for URL")
    func missingNamespace() async throws {
        let org = try Self.npsOrg()
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "/services/apexrest/InsertNPSFeedback", json: ["userId": "u"], token: token)
        #expect(reply.status == 404)
        #expect(reply.json == [["message": "Could not find a match for URL /InsertNPSFeedback", "errorCode": "NOT_FOUND"]])
        // Mappings are case-sensitive.
        let wrongCase = try await org.call(.post, "/services/apexrest/CleverTap/insertnpsfeedback", json: [:], token: token)
        #expect(wrongCase.status == 404)
    }

    @Test("a method the class does not declare answers 405")
    func wrongMethod() async throws {
        let org = try Self.npsOrg()
        let token = try await org.accessToken()
        let reply = try await org.call(.get, Self.npsPath, token: token)
        #expect(reply.status == 405)
        #expect(reply.json?[0]?["errorCode"] == "METHOD_NOT_ALLOWED")
    }

    @Test("an exception a custom class does not handle answers 500 APEX_ERROR with a stack line")
    func unhandledException() async throws {
        struct Boom: Error {}
        let org = try Fixture.org(clock: ManualClock())
        org.register(SimulatedApexClass(name: "Explode") { _ in throw Boom() }, mapping: "/Explode/*")
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "/services/apexrest/Explode/anything/here", json: [:], token: token)
        #expect(reply.status == 500)
        #expect(reply.json?[0]?["errorCode"] == "APEX_ERROR")
        #expect(reply.json?[0]?["message"]?.stringValue?.hasSuffix("\n\nClass.Explode.doPost: line 1, column 1") == true)
    }

    static func spec() throws -> ApexObjectSpec {
        try ApexObjectSpec(
            object: "Survey_Response__c",
            fields: [
                try ApexFieldSpec(parsing: "Score:Number"), try ApexFieldSpec(parsing: "Comment:Text"),
                try ApexFieldSpec(parsing: "Submitted:DateTime"), try ApexFieldSpec(parsing: "Promoter:Checkbox"),
                try ApexFieldSpec(parsing: "Visit:Date"),
            ],
            namespace: "CleverTap", mapping: "/SurveyResponse")
    }

    @Test("the generated class inserts (201), and a repeated Idempotency-Key updates the same record (200)")
    func generatedIdempotency() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(generatedClassFor: try Self.spec())
        let token = try await org.accessToken()
        let path = "/services/apexrest/CleverTap/SurveyResponse"
        let payload: JSONValue = [
            "Score": 9, "Comment": "great", "Submitted": "$D_1764442371", "Promoter": "true", "Visit": "2026-11-29",
        ]
        let first = try await org.call(.post, path, json: payload, token: token, headers: ["Idempotency-Key": "delivery-1"])
        #expect(first.status == 201)
        let id = try #require(first.json?["id"]?.stringValue)
        #expect(first.json == ["success": true, "id": .string(id), "created": true])
        let again = try await org.call(.post, path, json: payload, token: token, headers: ["Idempotency-Key": "delivery-1"])
        #expect(again.status == 200)
        #expect(again.json == ["success": true, "id": .string(id), "created": false])
        let noKey = try await org.call(.post, path, json: payload, token: token)
        #expect(noKey.status == 201)
        let records = org.records(of: "CleverTap__Survey_Response__c")
        #expect(records.count == 2)
        #expect(records.first?.fields == [
            "CleverTap__Score__c": 9, "CleverTap__Comment__c": "great", "CleverTap__Submitted__c": "2025-11-29T18:52:51.000Z",
            "CleverTap__Promoter__c": true, "CleverTap__Visit__c": "2026-11-29", "CleverTap__Idempotency_Key__c": "delivery-1",
            "Name": "Response-great",
        ])
        let verdict = StandardApexReplyInterpreter().interpret(again, for: HTTPRequest(method: .post, url: org.url(path)))
        #expect(verdict.isSuccess)
    }

    @Test("two first requests with one Idempotency-Key: the one whose insert loses the race updates (200), not 400")
    func generatedConcurrentFirstInsert() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(generatedClassFor: try Self.spec())
        let token = try await org.accessToken()
        let path = "/services/apexrest/CleverTap/SurveyResponse"
        org.inject(.nextCalls(1, .concurrentFirstInsert, on: .apexREST))
        let reply = try await org.call(.post, path, json: ["Score": 7, "Comment": "late"], token: token, headers: ["Idempotency-Key": "k-1"])
        #expect(reply.status == 200, "\(reply.bodyText)")
        #expect(reply.json?["created"] == false)
        let records = org.records(of: "CleverTap__Survey_Response__c")
        #expect(records.count == 1)
        #expect(records.first?["CleverTap__Idempotency_Key__c"] == "k-1")
        #expect(reply.json?["id"]?.stringValue == records.first?.id)
    }

    @Test("the generated class fills Name as the seed's and a missing Date/Time with the time of receipt")
    func generatedSeedBehaviour() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.register(generatedClassFor: try Self.spec())
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "/services/apexrest/CleverTap/SurveyResponse", json: ["Score": 7], token: token)
        #expect(reply.status == 201, "\(reply.bodyText)")
        let record = try #require(org.records(of: "CleverTap__Survey_Response__c").first)
        #expect(record["Name"] == "Response-null")
        #expect(record["CleverTap__Submitted__c"]?.stringValue == SalesforceDateTime(clock.now).description)
    }

    @Test("the generated class answers a test ping 200 without storing")
    func generatedPing() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(generatedClassFor: try Self.spec())
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "/services/apexrest/CleverTap/SurveyResponse", json: ["is_test": true], token: token)
        #expect(reply.status == 200)
        #expect(reply.json == ["success": true, "test": true])
        #expect(org.records(of: "CleverTap__Survey_Response__c").isEmpty)
    }

    @Test("the generated class answers bad input 400 with a JSON error naming the key", arguments: [
        (#"{"Score":"nine"}"#, "INVALID_INPUT", #"Score must be a number; got "nine"."#, ["Score"]),
        (#"{"Promoter":"maybe"}"#, "INVALID_INPUT", "Promoter must be true or false.", ["Promoter"]),
        (#"{"Visit":"29/11/2026"}"#, "INVALID_INPUT", #"Visit must be a date written yyyy-MM-dd; got "29/11/2026"."#, ["Visit"]),
        (#"{"Comment":{"a":1}}"#, "INVALID_INPUT", "Comment must be text, not a JSON object or array.", ["Comment"]),
        (#"{"Submitted":"yesterday"}"#, "INVALID_INPUT",
         #"Submitted must be an ISO 8601 date-time such as 2026-11-29T18:52:51.000Z; got "yesterday"."#, ["Submitted"]),
        ("", "JSON_PARSER_ERROR", "The request body is empty: send a JSON object.", []),
        ("[1]", "JSON_PARSER_ERROR", "The request body must be a JSON object.", []),
        (#"{"Comment":"\#(String(repeating: "c", count: 256))"}"#, "STRING_TOO_LONG",
         "Comment: data value too large: \(String(repeating: "c", count: 256)) (max length=255)", ["CleverTap__Comment__c"]),
    ])
    func generatedErrors(body: String, code: String, message: String, fields: [String]) async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.register(generatedClassFor: try Self.spec())
        let token = try await org.accessToken()
        let reply = try await org.call(
            .post, "/services/apexrest/CleverTap/SurveyResponse", text: body, token: token,
            headers: ["Content-Type": "application/json"])
        #expect(reply.status == 400)
        #expect(reply.json == [["errorCode": .string(code), "message": .string(message), "fields": .array(fields.map { .string($0) })]])
        #expect(org.records(of: "CleverTap__Survey_Response__c").isEmpty)
    }
}
