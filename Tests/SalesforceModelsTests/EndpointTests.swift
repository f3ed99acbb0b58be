import Foundation
import SalesforceModels
import Testing

@Suite("SalesforceEndpoints")
struct EndpointTests {
    let endpoints: SalesforceEndpoints
    let jobID = "7505g00000ABCDeAAH"

    init() throws {
        endpoints = SalesforceEndpoints(org: try SalesforceOrg("https://acme.my.salesforce.com"))
    }

    @Test("OAuth endpoints")
    func oauth() {
        #expect(endpoints.token.absoluteString == "https://acme.my.salesforce.com/services/oauth2/token")
        #expect(endpoints.introspect.absoluteString == "https://acme.my.salesforce.com/services/oauth2/introspect")
        #expect(endpoints.revoke.absoluteString == "https://acme.my.salesforce.com/services/oauth2/revoke")
        #expect(endpoints.versions.absoluteString == "https://acme.my.salesforce.com/services/data/")
    }

    @Test("Apex REST with and without a namespace")
    func apexREST() throws {
        let mapping = try ApexURLMapping("/InsertNPSFeedback")
        #expect(
            endpoints.apexREST(mapping: mapping, namespace: try ApexNamespace("CleverTap")).absoluteString
                == "https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback")
        #expect(
            endpoints.apexREST(mapping: mapping).absoluteString
                == "https://acme.my.salesforce.com/services/apexrest/InsertNPSFeedback")
    }

    @Test("sObject create and upsert use the configured version")
    func sObjects() throws {
        let object = try APIName("Feedback__c")
        let key = try APIName("Delivery_Key__c")
        #expect(
            endpoints.sObjectCreate(object).absoluteString
                == "https://acme.my.salesforce.com/services/data/v66.0/sobjects/Feedback__c/")
        #expect(
            try endpoints.sObjectUpsert(object, externalIDField: key, value: "k-1").absoluteString
                == "https://acme.my.salesforce.com/services/data/v66.0/sobjects/Feedback__c/Delivery_Key__c/k-1")
        #expect(
            try endpoints.sObjectUpsert(object, externalIDField: key, value: "k-1", updateOnly: true).absoluteString
                == "https://acme.my.salesforce.com/services/data/v66.0/sobjects/Feedback__c/Delivery_Key__c/k-1?updateOnly=true")
        var pinned = endpoints
        pinned.version = .v62
        #expect(pinned.sObjectCreate(object).absoluteString.contains("/services/data/v62.0/sobjects/"))
    }

    @Test(
        "external-ID values are percent-escaped so they stay one path segment",
        arguments: [
            ("a/b c", "a%2Fb%20c"),
            ("user@example.com", "user%40example.com"),
            ("100%", "100%25"),
            ("a?b#c", "a%3Fb%23c"),
            ("..", "%2E%2E"),
            (".", "%2E"),
            ("Ünïcode", "%C3%9Cn%C3%AFcode"),
            ("safe-._~AZaz09", "safe-._~AZaz09"),
        ])
    func escaping(value: String, escaped: String) throws {
        let url = try endpoints.sObjectUpsert(
            try APIName("Feedback__c"), externalIDField: try APIName("Delivery_Key__c"), value: value)
        #expect(url.absoluteString.hasSuffix("/Delivery_Key__c/\(escaped)"))
        #expect(SalesforceEndpoints.escapePathComponent(value) == escaped)
    }

    @Test("an empty external-ID value is refused")
    func emptyExternalID() throws {
        #expect {
            _ = try endpoints.sObjectUpsert(
                try APIName("Feedback__c"), externalIDField: try APIName("Delivery_Key__c"), value: "")
        } throws: { error in
            (error as? SalesforceOrgError)?.kind == .invalidPathComponent
        }
    }

    @Test("sObject Collections create and upsert")
    func collections() throws {
        #expect(
            endpoints.collections.absoluteString
                == "https://acme.my.salesforce.com/services/data/v66.0/composite/sobjects")
        #expect(
            endpoints.collectionsUpsert(try APIName("Feedback__c"), externalIDField: try APIName("Delivery_Key__c"))
                .absoluteString
                == "https://acme.my.salesforce.com/services/data/v66.0/composite/sobjects/Feedback__c/Delivery_Key__c")
    }

    @Test("Bulk API 2.0 ingest job URLs")
    func bulk() throws {
        let base = "https://acme.my.salesforce.com/services/data/v66.0/jobs/ingest"
        #expect(endpoints.bulkIngestJobs.absoluteString == base)
        #expect(try endpoints.bulkIngestJob(jobID).absoluteString == "\(base)/\(jobID)")
        #expect(try endpoints.bulkIngestBatches(jobID).absoluteString == "\(base)/\(jobID)/batches")
        #expect(try endpoints.bulkIngestSuccessfulResults(jobID).absoluteString == "\(base)/\(jobID)/successfulResults/")
        #expect(try endpoints.bulkIngestFailedResults(jobID).absoluteString == "\(base)/\(jobID)/failedResults/")
        #expect(
            try endpoints.bulkIngestUnprocessedRecords(jobID).absoluteString == "\(base)/\(jobID)/unprocessedrecords/")
    }

    @Test("job ids that are not Salesforce ids are refused", arguments: ["", "../../x", "7505g00000ABCDe AAH", "abc"])
    func badJobIDs(id: String) {
        #expect {
            _ = try endpoints.bulkIngestJob(id)
        } throws: { error in
            (error as? SalesforceOrgError)?.kind == .invalidPathComponent
        }
    }

    @Test("a loopback org keeps its scheme and port")
    func loopback() throws {
        let local = SalesforceEndpoints(org: try SalesforceOrg("http://127.0.0.1:8080"), version: .v67)
        #expect(local.token.absoluteString == "http://127.0.0.1:8080/services/oauth2/token")
        #expect(local.collections.absoluteString == "http://127.0.0.1:8080/services/data/v67.0/composite/sobjects")
    }
}
