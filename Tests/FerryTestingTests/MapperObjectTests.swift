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

    // The objects below are written out from the seed and Salesforce's standard objects, never built from the
    // mapper under test: a mapper that writes a wrong name fails against them.

    @Test("NPS responses land in the seed's own object, CleverTap__CleverTap_NPS__c")
    func nps() async throws {
        let mapper = try NPSResponseMapper(namespace: "CleverTap")
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        // The seed's object as its setup steps print it (Object Manager > CleverTap NPS, namespace CleverTap).
        let seedObject = try SimulatedObject("CleverTap__CleverTap_NPS__c", label: "CleverTap NPS", fields: [
            .text("Name", length: 80, required: true), .text("CleverTap__userId__c"), .number("CleverTap__npsScore__c"),
            .dateTime("CleverTap__timestamp__c"),
        ])
        // FerryTesting's ready-made object must be that same object.
        #expect(SimulatedObject.cleverTapNPS(namespace: "CleverTap") == seedObject)
        org.register(seedObject)
        let payload = try mapper.map([
            "Profile": Self.profile, "Event": ["User Rating": 9, "Comment": "Great", "Timestamp": "$D_1764442371"],
        ])
        let reply = try await deliver(payload, to: org)
        #expect(reply.status == 201, "\(reply.bodyText)")
        let record = try #require(org.records(of: "CleverTap__CleverTap_NPS__c").first)
        #expect(record["Name"] == "NPS-user-7")
        #expect(record["CleverTap__userId__c"] == "user-7")
        #expect(record["CleverTap__npsScore__c"] == 9)
        #expect(record["CleverTap__timestamp__c"] == "2025-11-29T18:52:51.000Z")
    }

    @Test("NPS responses into an object with an auto-number Name and other field names")
    func npsConfigured() async throws {
        var mapper = try NPSResponseMapper(
            object: "Survey_Answer__c", userIDField: "User_Id__c", scoreField: "Score__c", timestampField: "Answered_At__c",
            commentField: "Comment__c")
        mapper.writesName = false
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Survey_Answer__c", fields: [
            SimulatedField("Name", type: .autoNumber, label: "Answer Number"), .text("User_Id__c"), .number("Score__c"),
            .dateTime("Answered_At__c"), SimulatedField("Comment__c", type: .textArea),
        ]))
        let payload = try mapper.map(["Profile": Self.profile, "Event": ["User Rating": 3, "Comment": "Slow"]])
        #expect(try await deliver(payload, to: org).status == 201)
        let record = try #require(org.records(of: "Survey_Answer__c").first)
        #expect(record["Score__c"] == 3)
        #expect(record["Comment__c"] == "Slow")
        #expect(record["Name"] == "ANS-00001")
    }

    @Test("campaign leads, upserted on the identity")
    func leads() async throws {
        let mapper = try CampaignLeadMapper()
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Lead", fields: [
            .text("FirstName", length: 40), .text("LastName", length: 80, required: true),
            .text("Company", length: 255, required: true), .email("Email"), SimulatedField("Phone", type: .phone, length: 40),
            .text("LeadSource"), .text("CleverTap_Identity__c", externalID: true, unique: true), .text("CleverTap_Campaign__c"),
        ]))
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
        org.register(try SimulatedObject("CleverTap_Event_Feedback__c", fields: [
            SimulatedField("Name", type: .autoNumber, label: "Feedback Name"), .text("User_Id__c"), .text("Event_Name__c"),
            .number("Rating__c"), SimulatedField("Feedback__c", type: .textArea), .dateTime("Occurred_At__c"),
        ]))
        let payload = try mapper.map(["Profile": Self.profile, "Event": ["Event Name": "Webinar", "Rating": 4.5]])
        #expect(try await deliver(payload, to: org).status == 201)
        #expect(org.records(of: "CleverTap_Event_Feedback__c").first?["Rating__c"] == 4.5)
    }

    @Test("behavioural enrichment, with a text metric")
    func enrichment() async throws {
        let mapper = try BehaviouralEnrichmentMapper(metrics: ["Sessions Last 30 Days", "Last Feature Used"])
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("CleverTap_Profile__c", fields: [
            SimulatedField("Name", type: .autoNumber, label: "Profile Name"),
            .text("CleverTap_Identity__c", externalID: true, unique: true), .number("Sessions_Last_30_Days__c"),
            .text("Last_Feature_Used__c"),
        ]))
        let payload = try mapper.map(["Profile": Self.profile])
        #expect(try await deliver(payload, to: org).status == 201)
        let record = try #require(org.records(of: "CleverTap_Profile__c").first)
        #expect(record["Sessions_Last_30_Days__c"] == 12)
        #expect(record["Last_Feature_Used__c"] == "Export")
    }

    @Test("behavioural enrichment of an existing Contact, matched by email")
    func enrichContactByEmail() async throws {
        let mapper = try BehaviouralEnrichmentMapper(
            metrics: ["Sessions Last 30 Days"], namespace: "CleverTap", target: .contact(matchedBy: .email))
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        // Salesforce upserts on Contact.Email (an idLookup field); the simulated org marks it as an external ID.
        org.register(try SimulatedObject("Contact", fields: [
            .text("LastName", length: 80, required: true),
            SimulatedField("Email", type: .email, length: 80, externalID: true), .number("CleverTap__Sessions_Last_30_Days__c"),
        ]))
        _ = try org.insert("Contact", ["LastName": "Lovelace", "Email": "ada@example.com"])
        let payload = try mapper.map(["Profile": Self.profile])
        #expect(try await deliver(payload, to: org).status == 200)
        let contacts = org.records(of: "Contact")
        #expect(contacts.count == 1)
        #expect(contacts.first?["CleverTap__Sessions_Last_30_Days__c"] == 12)
    }

    @Test("behavioural enrichment of a Lead, matched by an external-ID field")
    func enrichLeadByExternalID() async throws {
        let mapper = try BehaviouralEnrichmentMapper(
            metrics: ["Last Feature Used"], target: .lead(matchedBy: .externalID("CleverTap_Identity__c")))
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Lead", fields: [
            .text("LastName", length: 80, required: true), .text("Company", length: 255, required: true),
            .text("CleverTap_Identity__c", externalID: true, unique: true), .text("Last_Feature_Used__c"),
        ]))
        _ = try org.insert("Lead", ["LastName": "Lovelace", "Company": "Analytical", "CleverTap_Identity__c": "user-7"])
        #expect(try await deliver(try mapper.map(["Profile": Self.profile]), to: org).status == 200)
        #expect(org.records(of: "Lead").first?["Last_Feature_Used__c"] == "Export")
    }
}
