import FerryCore
import SalesforceModels
import Testing

@Suite("Sforce-Limit-Info")
struct APIUsageTests {
    @Test("api-usage alone")
    func usageOnly() throws {
        let usage = try #require(APIUsage(headerValue: "api-usage=18/5000"))
        #expect(usage.apiUsage == APIUsage.Counter(used: 18, limit: 5000))
        #expect(usage.apiUsage?.remaining == 4982)
        #expect(usage.apiUsage?.fractionUsed == 18.0 / 5000.0)
        #expect(usage.apiBursts == nil)
        #expect(usage.description == "api-usage 18/5000")
    }

    @Test("api-usage with api-bursts")
    func withBursts() throws {
        let usage = try #require(APIUsage(headerValue: "api-usage=18/5000; api-bursts=1/750"))
        #expect(usage.apiUsage == APIUsage.Counter(used: 18, limit: 5000))
        #expect(usage.apiBursts == APIUsage.Counter(used: 1, limit: 750))
        #expect(usage.description == "api-usage 18/5000, api-bursts 1/750")
    }

    @Test("the legacy per-app usage with its app name")
    func perApp() throws {
        let usage = try #require(APIUsage(headerValue: "api-usage=25/15000;per-app-api-usage=17/250(appName=sample-connected-app)"))
        #expect(usage.perAppUsage == APIUsage.Counter(used: 17, limit: 250))
        #expect(usage.appName == "sample-connected-app")
        #expect(usage.apiUsage?.used == 25)
        #expect(usage.description.contains("per-app-api-usage 17/250 (sample-connected-app)"))
    }

    @Test("unknown keys and malformed parts are ignored")
    func unknownKeys() throws {
        let usage = try #require(APIUsage(headerValue: "future-thing=1/2; api-usage=7/100; junk; api-bursts=x/y"))
        #expect(usage.apiUsage == APIUsage.Counter(used: 7, limit: 100))
        #expect(usage.apiBursts == nil)
    }

    @Test("values without any known counter give nil", arguments: ["", "future-thing=1/2", "api-usage=", "api-usage=1", "garbage"])
    func nothing(value: String) {
        #expect(APIUsage(headerValue: value) == nil)
    }

    @Test("read from response headers, any case")
    func fromHeaders() {
        let headers: HTTPHeaders = ["sforce-limit-info": "api-usage=1/10"]
        #expect(APIUsage(headers: headers)?.apiUsage?.used == 1)
        #expect(APIUsage(headers: [:]) == nil)
        #expect(APIUsage.Counter(used: 12, limit: 10).remaining == 0)
        #expect(APIUsage.Counter(used: 1, limit: 0).fractionUsed == 0)
    }
}
