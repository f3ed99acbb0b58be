import FerryCore
import Foundation
import SalesforceModels
import Testing

@Suite("SObjectDescribe")
struct SObjectDescribeTests {
    static let body = """
        {"name":"Feedback__c","fields":[
          {"name":"Id","type":"id","length":18,"nillable":false,"createable":false,"defaultedOnCreate":true,"externalId":false},
          {"name":"Name","type":"string","length":10,"nillable":false,"createable":true,"defaultedOnCreate":false,"externalId":false},
          {"name":"Score__c","type":"double","length":0,"nillable":true,"createable":true,"defaultedOnCreate":false,"externalId":false},
          {"name":"Happy__c","type":"boolean","length":0,"nillable":false,"createable":true,"defaultedOnCreate":true,"externalId":false},
          {"name":"Answered__c","type":"datetime","length":0,"nillable":true,"createable":true,"defaultedOnCreate":false,"externalId":false},
          {"name":"Day__c","type":"date","length":0,"nillable":true,"createable":true,"defaultedOnCreate":false,"externalId":false},
          {"name":"Key__c","type":"string","length":64,"nillable":true,"createable":true,"defaultedOnCreate":false,"externalId":true},
          {"name":"Total__c","type":"double","length":0,"nillable":true,"createable":false,"defaultedOnCreate":false,"externalId":false}
        ]}
        """

    @Test("decodes the describe shape")
    func decode() throws {
        let describe = try SObjectDescribe.decode(from: Data(Self.body.utf8))
        #expect(describe.name == "Feedback__c")
        #expect(describe.fields.count == 8)
        #expect(describe.field(named: "score__C")?.type == "double")
        #expect(describe.fields.filter(\.isRequiredOnCreate).map(\.name) == ["Name"])
        #expect(throws: SalesforceResponseError.self) { try SObjectDescribe.decode(from: Data("[]".utf8)) }
    }

    @Test("a fitting payload has no problems")
    func fits() throws {
        let describe = try SObjectDescribe.decode(from: Data(Self.body.utf8))
        let payload: JSONValue = ["Name": "NPS-1", "Score__c": 9, "Happy__c": true, "Answered__c": "2026-11-29T10:00:00.000Z",
                                  "Day__c": "2026-11-29", "Key__c": "k1"]
        #expect(describe.problems(in: payload, externalIDField: "Key__c").isEmpty)
    }

    @Test("each kind of problem is found and says how to fix it")
    func problems() throws {
        let describe = try SObjectDescribe.decode(from: Data(Self.body.utf8))
        let payload: JSONValue = ["Scor__c": 9, "Happy__c": "yes", "Name": "far too long a name", "Total__c": 3,
                                  "Answered__c": "2026-11-29T10:00:00.000+0000", "Day__c": "29/11/2026"]
        let found = describe.problems(in: payload, externalIDField: "Name")
        let kinds = found.map { "\($0.field ?? "-"):\($0.kind)" }
        #expect(kinds.contains("Scor__c:unknownField"))
        #expect(found.first { $0.field == "Scor__c" }?.message.contains("did you mean Score__c") == true)
        #expect(kinds.contains("Happy__c:wrongType"))
        #expect(kinds.contains("Name:tooLong"))
        #expect(found.first { $0.kind == .tooLong }?.message.contains("truncate: 10") == true)
        #expect(kinds.contains("Total__c:notWritable"))
        #expect(kinds.contains("Answered__c:wrongType"))
        #expect(found.first { $0.field == "Answered__c" }?.message.contains("+00:00") == true)
        #expect(kinds.contains("Day__c:wrongType"))
        #expect(kinds.contains("Name:notExternalID"))
        let missing = describe.problems(in: ["Score__c": "9.5"])
        #expect(missing.map(\.kind) == [.requiredMissing])
        #expect(describe.problems(in: [1, 2]).map(\.kind) == [.notAnObject])
        #expect(describe.problems(in: ["Name": "x"], externalIDField: "Nope__c").map(\.kind) == [.unknownField])
    }
}
