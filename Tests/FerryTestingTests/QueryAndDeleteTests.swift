import FerryTesting
import Foundation
import Testing

/// The endpoints `ferry check --verify` reads back and cleans up with: SOQL query, record read, record delete.
@Suite("Simulated org: query, read and delete")
struct QueryAndDeleteTests {
    static func org() throws -> SimulatedSalesforceOrg {
        let org = try Fixture.org(clock: ManualClock())
        org.register(SimulatedObject.cleverTapNPS())
        return org
    }

    @Test("SELECT ... WHERE Field = 'value' finds the record; a quote in the value is escaped, never SOQL")
    func query() async throws {
        let org = try Self.org()
        let token = try await org.accessToken()
        let stored = try org.insert(
            "CleverTap__CleverTap_NPS__c",
            ["Name": "NPS-o'neil", "CleverTap__userId__c": "o'neil", "CleverTap__timestamp__c": "2026-11-29T18:52:51.000Z"])
        _ = try org.insert("CleverTap__CleverTap_NPS__c", ["Name": "NPS-x", "CleverTap__userId__c": "x"])
        let soql = "SELECT Id, CleverTap__userId__c, CleverTap__timestamp__c FROM CleverTap__CleverTap_NPS__c WHERE CleverTap__userId__c = "
            + SalesforceEndpoints.soqlLiteral("o'neil")
        let url = SalesforceEndpoints(org: org.configuration.org).query(soql)
        let reply = try await org.call(.get, url.path + "?" + (url.query ?? ""), token: token)
        #expect(reply.status == 200, "\(reply.bodyText)")
        #expect(reply.json?["totalSize"] == 1)
        let record = try #require(reply.json?["records"]?[0])
        #expect(record["Id"]?.stringValue == stored.id)
        #expect(record["CleverTap__timestamp__c"] == "2026-11-29T18:52:51.000+0000")
        #expect(record["attributes"]?["type"] == "CleverTap__CleverTap_NPS__c")
    }

    @Test(
        "other queries are refused as Salesforce does",
        arguments: [
            ("SELECT Id FROM CleverTap__CleverTap_NPS__c", "MALFORMED_QUERY"),
            ("SELECT Id FROM Nope__c WHERE Name = 'a'", "INVALID_TYPE"),
            ("SELECT Bogus__c FROM CleverTap__CleverTap_NPS__c WHERE Name = 'a'", "INVALID_FIELD"),
            ("SELECT Id FROM CleverTap__CleverTap_NPS__c WHERE Name = 'a", "MALFORMED_QUERY"),
        ])
    func refusedQueries(soql: String, code: String) async throws {
        let org = try Self.org()
        let token = try await org.accessToken()
        let url = SalesforceEndpoints(org: org.configuration.org).query(soql)
        let reply = try await org.call(.get, url.path + "?" + (url.query ?? ""), token: token)
        #expect(reply.status == 400)
        #expect(reply.json?[0]?["errorCode"]?.stringValue == code)
    }

    @Test("a record reads back by id and deletes once (204, then 404)")
    func readAndDelete() async throws {
        let org = try Self.org()
        let token = try await org.accessToken()
        let stored = try org.insert("CleverTap__CleverTap_NPS__c", ["Name": "NPS-1", "CleverTap__npsScore__c": 9])
        let path = "/services/data/v66.0/sobjects/CleverTap__CleverTap_NPS__c/\(stored.id)"
        let read = try await org.call(.get, path, token: token)
        #expect(read.status == 200)
        #expect(read.json?["CleverTap__npsScore__c"] == 9)
        #expect(try await org.call(.delete, path, token: token).status == 204)
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").isEmpty)
        #expect(try await org.call(.delete, path, token: token).status == 404)
        #expect(try await org.call(.get, path, token: token).status == 404)
    }
}
