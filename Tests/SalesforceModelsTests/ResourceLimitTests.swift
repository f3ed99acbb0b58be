import FerryCore
import Foundation
import SalesforceModels
import Testing

/// Hostile Salesforce replies (100,000 nested brackets, megabytes of garbage) end in a
/// ``SalesforceResponseError`` whose description stays short: the excerpt of the body is capped.
@Suite("Resource limits against hostile Salesforce replies")
struct ResourceLimitTests {
    static let deep = Data(String(repeating: "[", count: 100_000).utf8)
    static let huge = Data(String(repeating: "<html>garbage ", count: 600_000).utf8)  // 8.4 MB

    @Test("every JSON decoder refuses deep nesting and huge garbage with a short, clear error",
          arguments: [deep, huge])
    func decoders(_ body: Data) {
        let decoders: [(String, () throws(SalesforceResponseError) -> Void)] = [
            ("errors", { () throws(SalesforceResponseError) in _ = try SalesforceAPIError.decodeAll(from: body) }),
            ("save result", { () throws(SalesforceResponseError) in _ = try SaveResult.decode(from: body) }),
            ("upsert", { () throws(SalesforceResponseError) in _ = try SaveResult.decodeUpsert(status: 201, body: body) }),
            ("collection", { () throws(SalesforceResponseError) in _ = try SaveResult.decodeCollection(from: body) }),
            ("bulk job", { () throws(SalesforceResponseError) in _ = try BulkIngestJobInfo.decode(from: body) }),
            ("oauth error", { () throws(SalesforceResponseError) in _ = try OAuthErrorResponse.decode(from: body) }),
        ]
        for (name, decode) in decoders {
            do {
                try decode()
                Issue.record("\(name) decoded a hostile body")
            } catch {
                #expect(error.kind == .malformedJSON, "\(name)")
                #expect(error.description.utf8.count < 2_000, "\(name): \(error.description.utf8.count) bytes")
            }
        }
    }

    @Test("the Apex reply interpreter reads a deep or huge reply as a failure with a short message", arguments: [deep, huge])
    func apexReply(_ body: Data) throws {
        let request = HTTPRequest(method: .post, url: try #require(URL(string: "https://acme.my.salesforce.com/services/apexrest/nps")))
        for status in [200, 400, 500] {
            let reply = StandardApexReplyInterpreter().interpret(HTTPResponse(status: status, body: body), for: request)
            #expect(String(describing: reply).utf8.count < 2_000, "HTTP \(status)")
        }
    }

    @Test("an 8 MB CSV with an unterminated quote is refused with a short error")
    func hugeCSV() {
        let text = "sf__Id,sf__Error\n\"" + String(repeating: "x,", count: 4_000_000)
        do {
            _ = try BulkFailedRow.parse(text)
            Issue.record("an unterminated CSV parsed")
        } catch {
            #expect(error.kind == .malformedCSV)
            #expect(error.description.utf8.count < 2_000)
        }
    }

    @Test("a Sforce-Limit-Info header of 200,000 parts is read in one pass")
    func hugeLimitHeader() throws {
        let header = String(repeating: "junk=1/2;", count: 200_000) + "api-usage=18/5000"
        let usage = try #require(APIUsage(headerValue: header))
        #expect(usage.apiUsage == APIUsage.Counter(used: 18, limit: 5000))
    }
}
