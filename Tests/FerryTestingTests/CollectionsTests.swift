import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: sObject Collections")
struct CollectionsTests {
    static let path = "\(v66)/composite/sobjects"

    static func record(_ fields: JSONObject) -> JSONValue {
        var record: JSONObject = ["attributes": ["type": "Feedback__c"]]
        for (key, value) in fields { record[key] = value }
        return .object(record)
    }

    @Test("results come in request order with HTTP 200 even when a record fails")
    func partialFailure() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let body: JSONValue = [
            "allOrNone": false,
            "records": [Self.record(["Name": "a"]), Self.record(["Score__c": 1]), Self.record(["Name": "c", "Score__c": 3])],
        ]
        let reply = try await org.call(.post, Self.path, json: body, token: token)
        #expect(reply.status == 200)
        let results = try SaveResult.decodeCollection(from: reply.body, expectedCount: 3)
        #expect(results.map(\.success) == [true, false, true])
        #expect(reply.json?[1] == [
            "id": nil, "success": false,
            "errors": [["statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [Name]", "fields": ["Name"]]],
        ])
        let stored = org.records(of: "Feedback__c")
        #expect(stored.map(\.id) == [results[0].id, results[2].id].compactMap { $0 })
        #expect(stored.map { $0["Name"] } == ["a", "c"])
        #expect(org.counters.apiUsage == 1)
    }

    @Test("with allOrNone a failure rolls every record back")
    func allOrNone() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let body: JSONValue = ["allOrNone": true, "records": [Self.record(["Name": "a"]), Self.record(["Bogus__c": 1])]]
        let reply = try await org.call(.post, Self.path, json: body, token: token)
        #expect(reply.status == 200)
        #expect(reply.json?[0]?["errors"]?[0]?["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK")
        #expect(reply.json?[1]?["errors"]?[0]?["statusCode"] == "INVALID_FIELD")
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("more than 200 records are refused")
    func recordLimit() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let records = (0..<201).map { Self.record(["Name": .string("n\($0)")]) }
        let reply = try await org.call(.post, Self.path, json: ["allOrNone": false, "records": .array(records)], token: token)
        #expect(reply.status == 400)
        #expect(reply.json?[0]?["errorCode"] == "EXCEEDED_ID_LIMIT")
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("a value that cannot be deserialised fails the whole request with JSON_PARSER_ERROR")
    func parserError() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let body: JSONValue = ["records": [Self.record(["Name": "a"]), Self.record(["Name": "b", "Score__c": [1]])]]
        let reply = try await org.call(.post, Self.path, json: body, token: token)
        #expect(reply.status == 400)
        #expect(reply.json?[0]?["errorCode"] == "JSON_PARSER_ERROR")
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("upsert reports created and updated per record, matching external IDs case-insensitively")
    func upsert() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let path = "\(Self.path)/Feedback__c/Delivery_Key__c"
        let first = try await org.call(.patch, path, json: ["allOrNone": false, "records": [
            Self.record(["Name": "a", "Delivery_Key__c": "K1"]), Self.record(["Name": "b", "Delivery_Key__c": "K2"]),
        ]], token: token)
        #expect(try SaveResult.decodeCollection(from: first.body).map(\.created) == [true, true])
        let second = try await org.call(.patch, path, json: ["allOrNone": false, "records": [
            Self.record(["Name": "a2", "Delivery_Key__c": "k1"]), Self.record(["Name": "c", "Delivery_Key__c": "K3"]),
            Self.record(["Name": "no key"]),
        ]], token: token)
        let results = try SaveResult.decodeCollection(from: second.body)
        #expect(results.map(\.created) == [false, true, false])
        #expect(results[2].errors.first?.errorCode.rawValue == "MISSING_ARGUMENT")
        #expect(org.records(of: "Feedback__c").map { $0["Name"] } == ["a2", "b", "c"])
    }

    @Test("an upsert naming one external ID twice in a request fails both records with DUPLICATE_EXTERNAL_ID, as a real org does")
    func duplicateExternalID() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let response = try await org.call(.patch, "\(Self.path)/Feedback__c/Delivery_Key__c", json: ["allOrNone": false, "records": [
            Self.record(["Name": "v1", "Delivery_Key__c": "K1"]), Self.record(["Name": "other", "Delivery_Key__c": "K2"]),
            Self.record(["Name": "v2", "Delivery_Key__c": "k1"]),
        ]], token: token)
        let results = try SaveResult.decodeCollection(from: response.body)
        #expect(results.map(\.success) == [false, true, false])
        #expect(results[0].errors.first?.errorCode.rawValue == "DUPLICATE_EXTERNAL_ID")
        #expect(results[0].errors.first?.message == "Duplicate external id specified: K1")
        #expect(results[2].errors.first?.errorCode.rawValue == "DUPLICATE_EXTERNAL_ID")
        #expect(org.records(of: "Feedback__c").map { $0["Name"] } == ["other"])
    }
}
