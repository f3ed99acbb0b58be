import FerryTesting
import Foundation
import Testing

@Suite("Simulated org: sObject create, upsert and describe")
struct SObjectTests {
    @Test("create answers 201 with an 18-character id and stores the record as sent")
    func create() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        let token = try await org.accessToken()
        let sent: JSONValue = [
            "Name": "NPS-42", "Score__c": 9, "Submitted__c": "2026-11-29T18:52:51.000Z", "Promoter__c": true,
            "Visit__c": "2026-11-29", "Email__c": "a@example.com", "Channel__c": "Push",
        ]
        let reply = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: sent, token: token)
        #expect(reply.status == 201)
        let result = try SaveResult.decode(from: reply.body)
        #expect(result.success)
        #expect(reply.json?["errors"] == [])
        let id = try #require(result.id)
        #expect(id.count == 18)
        #expect(id.hasPrefix("a00"))
        let record = try #require(org.records(of: "feedback__c").first)
        #expect(record.id == id)
        #expect(JSONValue.object(record.fields) == sent)
        #expect(record.createdDate == clock.now)
    }

    @Test("ids carry Salesforce's case-safety suffix")
    func idSuffix() async throws {
        let org = try Fixture.org(clock: ManualClock())
        for index in 0..<70 { _ = try org.insert("Feedback__c", ["Name": .string("n\(index)")]) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
        for id in org.records(of: "Feedback__c").map(\.id) {
            let characters = Array(id)
            var suffix = ""
            for chunk in 0..<3 {
                var bits = 0
                for offset in 0..<5 where characters[chunk * 5 + offset].isUppercase { bits |= 1 << offset }
                suffix.append(alphabet[bits])
            }
            #expect(id.count == 18)
            #expect(String(characters[15...]) == suffix)
        }
        // The suffix makes the 18-character form unique even where case is ignored.
        #expect(Set(org.records(of: "Feedback__c").map { $0.id.lowercased() }).count == 70)
    }

    @Test("each invalid record answers 400 with Salesforce's code, message and fields", arguments: [
        (["Score__c": 9] as JSONValue, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", ["Name"]),
        (["Name": ""], "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", ["Name"]),
        (["Name": "n", "Bogus__c": 1], "INVALID_FIELD", "No such column 'Bogus__c' on sobject of type Feedback__c", nil),
        (["Name": "n", "Comment__c": "this comment is far too long"], "STRING_TOO_LONG",
         "Comment: data value too large: this comment is far too long (max length=20)", ["Comment__c"]),
        (["Name": "n", "Score__c": "nine"], "JSON_PARSER_ERROR",
         "Cannot deserialize instance of double from VALUE_STRING value nine or request may be missing a required field", nil),
        (["Name": "n", "Submitted__c": "2026-11-29T18:52:51.000+0000"], "JSON_PARSER_ERROR",
         "Cannot deserialize instance of datetime from VALUE_STRING value 2026-11-29T18:52:51.000+0000 or request may be missing a required field", nil),
        (["Name": "n", "Email__c": "not-an-address"], "INVALID_EMAIL_ADDRESS", "Email: invalid email address: not-an-address", ["Email__c"]),
        (["Name": "n", "Channel__c": "Fax"], "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
         "Channel: bad value for restricted picklist field: Fax", ["Channel__c"]),
        (["Name": "n", "Id": "a005g000001"], "INVALID_FIELD_FOR_INSERT_UPDATE",
         "Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", ["Id"]),
    ] as [(JSONValue, String, String, [String]?)])
    func invalidRecords(record: JSONValue, code: String, message: String, fields: [String]?) async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: record, token: token)
        #expect(reply.status == 400)
        var expected: JSONObject = ["message": .string(message), "errorCode": .string(code)]
        if let fields { expected["fields"] = .array(fields.map { .string($0) }) }
        #expect(reply.json == .array([.object(expected)]))
        let decoded = try SalesforceAPIError.decodeAll(from: reply.body)
        #expect(decoded.first?.errorCode.rawValue == code)
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("a unique field refuses a second record with the same value (ignoring case)")
    func duplicateValue() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let first = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "a", "Delivery_Key__c": "K-1"], token: token)
        let id = try #require(first.json?["id"]?.stringValue)
        let second = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": "b", "Delivery_Key__c": "k-1"], token: token)
        #expect(second.status == 400)
        #expect(second.json?[0]?["errorCode"] == "DUPLICATE_VALUE")
        #expect(second.json?[0]?["message"]?.stringValue == "duplicate value found: Delivery_Key__c duplicates value on record with id: \(id)")
    }

    @Test("an unknown object answers 404 NOT_FOUND")
    func unknownObject() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let reply = try await org.call(.post, "\(v66)/sobjects/Nope__c/", json: ["Name": "n"], token: token)
        #expect(reply.status == 404)
        #expect(reply.json == [["message": "The requested resource does not exist", "errorCode": "NOT_FOUND"]])
    }

    @Test("upsert by external ID creates (201), then updates (200 with body) matching case-insensitively")
    func upsert() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let endpoints = org.endpoints
        let object = try APIName("Feedback__c")
        let field = try APIName("Delivery_Key__c")
        let created = try await org.send(HTTPRequest(
            method: .patch, url: try endpoints.sObjectUpsert(object, externalIDField: field, value: "K/1 é"),
            headers: ["Authorization": "Bearer \(token)"], body: (["Name": "first", "Score__c": 3] as JSONValue).jsonData()))
        #expect(created.status == 201)
        let first = try SaveResult.decodeUpsert(status: created.status, body: created.body)
        #expect(first.created == true)
        let updated = try await org.send(HTTPRequest(
            method: .patch, url: try endpoints.sObjectUpsert(object, externalIDField: field, value: "k/1 É"),
            headers: ["Authorization": "Bearer \(token)"], body: (["Score__c": 10] as JSONValue).jsonData()))
        #expect(updated.status == 200)
        #expect(updated.json == ["id": .string(first.id ?? ""), "success": true, "errors": [], "created": false])
        let records = org.records(of: "Feedback__c")
        #expect(records.count == 1)
        #expect(records.first?["Name"] == "first")
        #expect(records.first?["Score__c"] == 10)
        #expect(records.first?["Delivery_Key__c"] == "k/1 É")
        #expect(records.first?.updateCount == 1)
    }

    @Test("upsert answers 300 and writes nothing when several records match")
    func severalMatches() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        for name in ["a", "b"] {
            _ = try await org.call(.post, "\(v66)/sobjects/Feedback__c/", json: ["Name": .string(name), "Legacy_Key__c": "L1"], token: token)
        }
        let reply = try await org.call(.patch, "\(v66)/sobjects/Feedback__c/Legacy_Key__c/L1", json: ["Name": "c"], token: token)
        #expect(reply.status == 300)
        let ids = org.records(of: "Feedback__c").map(\.id)
        #expect(reply.json == .array(ids.map { .string("\(v66)/sobjects/Feedback__c/\($0)") }))
        #expect(org.records(of: "Feedback__c").map { $0["Name"] } == ["a", "b"])
    }

    @Test("upsert refuses a field that is not an external ID, and updateOnly refuses to create")
    func upsertRefusals() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let notExternal = try await org.call(.patch, "\(v66)/sobjects/Feedback__c/Comment__c/x", json: ["Name": "c"], token: token)
        #expect(notExternal.status == 404)
        #expect(notExternal.json?[0]?["message"] == "Provided external ID field does not exist or is not accessible: Comment__c")
        let updateOnly = try await org.call(
            .patch, "\(v66)/sobjects/Feedback__c/Delivery_Key__c/new?updateOnly=true", json: ["Name": "c"], token: token)
        #expect(updateOnly.status == 404)
        let missingName = try await org.call(.patch, "\(v66)/sobjects/Feedback__c/Delivery_Key__c/new", json: ["Score__c": 1], token: token)
        #expect(missingName.status == 400)
        #expect(missingName.json?[0]?["errorCode"] == "REQUIRED_FIELD_MISSING")
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("describe lists the fields with type, length, nillable, createable and externalId")
    func describe() async throws {
        let org = try Fixture.org(clock: ManualClock())
        let token = try await org.accessToken()
        let reply = try await org.call(.get, "\(v66)/sobjects/Feedback__c/describe", token: token)
        #expect(reply.status == 200)
        let fields = try #require(reply.json?["fields"]?.arrayValue)
        func field(_ name: String) -> JSONValue? { fields.first { $0["name"]?.stringValue == name } }
        #expect(reply.json?["name"] == "Feedback__c")
        #expect(field("Id")?["createable"] == false)
        #expect(field("Name")?["type"] == "string")
        #expect(field("Name")?["length"] == 80)
        #expect(field("Name")?["nillable"] == false)
        #expect(field("Score__c")?["type"] == "double")
        #expect(field("Submitted__c")?["type"] == "datetime")
        #expect(field("Delivery_Key__c")?["externalId"] == true)
        #expect(field("Delivery_Key__c")?["unique"] == true)
        #expect(field("Comment__c")?["nillable"] == true)
        #expect(field("Channel__c")?["picklistValues"]?.arrayValue?.count == 2)
        let missing = try await org.call(.get, "\(v66)/sobjects/Nope__c/describe", token: token)
        #expect(missing.status == 404)
        #expect(missing.json?[0]?["errorCode"] == "NOT_FOUND")
    }

    @Test("the object ferry apex creates is described with an auto-number Name and the idempotency key")
    func specObject() throws {
        let spec = try ApexObjectSpec(
            object: "Feedback__c", fields: [try ApexFieldSpec(parsing: "Score:Number")], recordName: .autoNumber)
        let object = SimulatedObject(spec: spec)
        #expect(object.fields.map(\.name.fullName) == ["Name", "Score__c", "Idempotency_Key__c"])
        #expect(object.field(named: "name")?.createable == false)
        #expect(object.field(named: "Idempotency_Key__c")?.externalID == true)
    }
}
