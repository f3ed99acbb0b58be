import FerryTesting
import Foundation
import Testing

/// The seed's four use cases, each mapped by its ready mapper and written into an object shaped for it.
@Suite("Simulated org: objects for the ready mappers")
struct MapperObjectTests {
    static let profile: JSONValue = [
        "Identity": "user-7", "Name": "Ada King Lovelace", "Email": "ada@example.com", "Company": "Analytical",
        "Sessions Last 30 Days": 12, "Last Feature Used": "Export",
    ]

    func deliver(_ payload: MappedPayload, to org: SimulatedSalesforceOrg) async throws -> HTTPResponse {
        let token = try await org.accessToken()
        switch payload {
        case .record(let record):
            return try await org.call(
                .post, "\(v66)/sobjects/\(record.type.fullName)/", json: record.jsonValue(includingAttributes: false), token: token)
        case .upsert(let upsert):
            let url = try org.endpoints.sObjectUpsert(
                upsert.record.type, externalIDField: upsert.externalIDField, value: upsert.externalIDValue)
            return try await org.send(HTTPRequest(
                method: .patch, url: url, headers: ["Authorization": "Bearer \(token)"],
                body: upsert.record.jsonValue(includingAttributes: false).jsonData()))
        default:
            Issue.record("unexpected payload \(payload)")
            return HTTPResponse(status: 0)
        }
    }

    @Test("NPS responses", arguments: [true, false])
    func nps(writesName: Bool) async throws {
        var mapper = try NPSResponseMapper(namespace: "CleverTap")
        mapper.writesName = writesName
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(SimulatedObject(for: mapper))
        let payload = try mapper.map([
            "Profile": Self.profile, "Event": ["User Rating": 9, "Comment": "Great", "Timestamp": "$D_1764442371"],
        ])
        let reply = try await deliver(payload, to: org)
        #expect(reply.status == 201)
        let record = try #require(org.records(of: "CleverTap__CleverTap_NPS__c").first)
        #expect(record["CleverTap__NPS_Score__c"] == 9)
        #expect(record["Name"] == (writesName ? "NPS-user-7" : "NPS-00001"))
    }

    @Test("campaign leads, upserted on the identity")
    func leads() async throws {
        let mapper = try CampaignLeadMapper()
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(SimulatedObject(for: mapper))
        let payload = try mapper.map(["Profile": Self.profile, "Campaign": ["Name": "Winter launch"]])
        #expect(try await deliver(payload, to: org).status == 201)
        #expect(try await deliver(payload, to: org).status == 200)
        let leads = org.records(of: "Lead")
        #expect(leads.count == 1)
        #expect(leads.first?["LastName"] == "Lovelace")
        #expect(leads.first?["CleverTap_Identity__c"] == "user-7")
    }

    @Test("event feedback")
    func eventFeedback() async throws {
        let mapper = try EventFeedbackMapper()
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(SimulatedObject(for: mapper))
        let payload = try mapper.map(["Profile": Self.profile, "Event": ["Event Name": "Webinar", "Rating": 4.5]])
        #expect(try await deliver(payload, to: org).status == 201)
        #expect(org.records(of: "CleverTap_Event_Feedback__c").first?["Rating__c"] == 4.5)
    }

    @Test("behavioural enrichment, with a text metric")
    func enrichment() async throws {
        let mapper = try BehaviouralEnrichmentMapper(metrics: ["Sessions Last 30 Days", "Last Feature Used"])
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(SimulatedObject(for: mapper, metricTypes: ["Last Feature Used": .string]))
        let payload = try mapper.map(["Profile": Self.profile])
        #expect(try await deliver(payload, to: org).status == 201)
        let record = try #require(org.records(of: "CleverTap_Profile__c").first)
        #expect(record["Sessions_Last_30_Days__c"] == 12)
        #expect(record["Last_Feature_Used__c"] == "Export")
    }
}
