import Ferry
import FerryTesting
import Foundation
import Testing

/// Every way `IntegrationVerifier` can fail to compare, provoked against the simulated org in process.
@Suite("Verification: IntegrationVerifier errors")
struct IntegrationVerifierTests {
    static let object = "CleverTap__CleverTap_NPS__c"

    /// A verifier on `org`, authorised with the org's example client, and a plan for `mapping` on the seed's object.
    static func setUp(_ apexClass: SimulatedApexClass) throws -> (IntegrationVerifier, VerificationPlan, SimulatedSalesforceOrg) {
        let clock = ManualClock()
        let org = SimulatedSalesforceOrg(clock: clock)
        org.register(SimulatedObject.cleverTapNPS())
        org.register(apexClass, namespace: "CleverTap", mapping: "/Verify")
        let salesforce = org.configuration.org
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: salesforce, clientID: SimulatedClient.example.id, clientSecret: Secret("ferry-client-secret"), transport: org,
            clock: clock)
        let endpoints = SalesforceEndpoints(org: salesforce)
        let transport = AuthorizingTransport(tokenProvider: provider, transport: org, origin: salesforce.baseURL)
        let (mapping, _) = VerificationPlan.conventionalFieldMap(payloadKeys: ["userId", "npsScore"], namespace: "CleverTap")
        let plan = VerificationPlan(
            destination: .apexREST(endpoints.apexREST(mapping: try ApexURLMapping("/Verify"), namespace: try ApexNamespace("CleverTap"))),
            object: try APIName(object), keyField: try APIName("CleverTap__userId__c"), fieldMap: mapping)
        return (IntegrationVerifier(transport: transport, endpoints: endpoints), plan, org)
    }

    /// A class storing `copies` records of the payload's userId and npsScore, answering `reply`.
    static func storing(_ copies: Int, reply: HTTPResponse = SimulatedApexClass.stringReply("Success")) -> SimulatedApexClass {
        SimulatedApexClass(name: "Verify") { call in
            let payload = try JSONValue(parsing: call.body)
            for index in 0..<copies {
                _ = try call.insert(object, [
                    "Name": .string("NPS-\(index)"), "CleverTap__userId__c": payload["userId"] ?? .null,
                    "CleverTap__npsScore__c": payload["npsScore"] ?? .null,
                ])
            }
            return reply
        }
    }

    func expectFailure(_ kind: VerificationError.Kind, mentioning text: String, _ apexClass: SimulatedApexClass,
                       adjust: (inout VerificationPlan) throws -> Void = { _ in }) async throws {
        var (verifier, plan, _) = try Self.setUp(apexClass)
        try adjust(&plan)
        do {
            let report = try await verifier.verify(payload: ["userId": "u-1", "npsScore": 9], plan: plan)
            Issue.record("verified: \(report.table)")
        } catch {
            #expect(error.kind == kind)
            #expect(error.message.contains(text), "\(error.message)")
        }
    }

    @Test("one stored record: every field compared, then deleted")
    func passes() async throws {
        let (verifier, plan, org) = try Self.setUp(Self.storing(1))
        let report = try await verifier.verify(payload: ["userId": "u-1", "npsScore": 9], plan: plan)
        #expect(report.passed, "\(report.table)")
        #expect(report.comparisons.map(\.field) == ["CleverTap__userId__c", "CleverTap__npsScore__c"])
        #expect(report.deleted)
        #expect(org.records(of: Self.object).isEmpty)
    }

    @Test("the class refuses the record")
    func refused() async throws {
        try await expectFailure(.refused, mentioning: "did not store", Self.storing(0, reply: SimulatedApexClass.stringReply("Error: no")))
    }

    @Test("the class answers success but stores nothing")
    func notFound() async throws {
        try await expectFailure(.notFound, mentioning: "no record matched", Self.storing(0))
    }

    @Test("two records carry the marker")
    func several() async throws {
        try await expectFailure(.severalFound, mentioning: "2 records matched", Self.storing(2))
    }

    @Test("the reply's id is not a record id")
    func unreadable() async throws {
        try await expectFailure(.unreadable, mentioning: "not a Salesforce record id", Self.storing(1, reply: HTTPResponse(status: 201, json: ["id": "nope"])))
    }

    @Test("no id in the reply and no key field")
    func noRecordID() async throws {
        try await expectFailure(.noRecordID, mentioning: "--key", Self.storing(1)) { plan in plan.keyField = nil }
    }

    @Test("a key field that is not mapped")
    func invalidPlan() async throws {
        try await expectFailure(.invalidPlan, mentioning: "--map KEY=CleverTap__timestamp__c", Self.storing(1)) { plan in
            plan.keyField = try APIName("CleverTap__timestamp__c")
        }
    }
}
