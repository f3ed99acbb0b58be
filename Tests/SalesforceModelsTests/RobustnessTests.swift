import FerryCore
import Foundation
import SalesforceModels
import Testing

@Suite("Robustness")
struct RobustnessTests {
    /// A small deterministic generator, so a failure can be reproduced.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Bodies that look like what Salesforce sends, cut and mutated at random.
    static func bodies() -> [Data] {
        let seeds = [
            #"[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]"#,
            #"{"id":"a01","success":true,"errors":[],"created":true}"#,
            #"[{"id":null,"success":false,"errors":[{"statusCode":"X","message":"m"}]}]"#,
            #"{"error":"invalid_grant","error_description":"no valid scopes defined"}"#,
            #"{"id":"750","state":"JobComplete","object":"A__c","operation":"insert"}"#,
            "sf__Id,sf__Error,Name\n\"\",\"REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --\",x\n",
            "\"Error: boom\"", "api-usage=18/5000; per-app-api-usage=17/250(appName=x)", "2025-11-29T18:52:51.000+0000",
        ]
        var generator = SplitMix(state: 42)
        var output: [Data] = seeds.map { Data($0.utf8) }
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for _ in 0..<60 {
                var mutated = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &generator)))
                for _ in 0..<Int.random(in: 0...4, using: &generator) where !mutated.isEmpty {
                    mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                output.append(Data(mutated))
            }
        }
        return output
    }

    @Test("no decoder crashes on cut or corrupted bodies, and every refusal carries a message")
    func decodersNeverCrash() {
        let request = HTTPRequest(method: .post, url: URL(fileURLWithPath: "/services/apexrest/X"))
        var refused = 0
        for body in Self.bodies() {
            let text = String(decoding: body, as: UTF8.self)
            do { _ = try SalesforceAPIError.decodeAll(from: body) } catch { refused += 1; #expect(!error.message.isEmpty) }
            do { _ = try SaveResult.decode(from: body) } catch { #expect(!error.message.isEmpty) }
            do { _ = try SaveResult.decodeCollection(from: body, expectedCount: 1) } catch { #expect(!error.message.isEmpty) }
            do { _ = try SaveResult.decodeUpsert(status: 200, body: body) } catch { #expect(!error.message.isEmpty) }
            do { _ = try OAuthErrorResponse.decode(from: body) } catch { #expect(!error.message.isEmpty) }
            do { _ = try BulkIngestJobInfo.decode(from: body) } catch { #expect(!error.message.isEmpty) }
            do { _ = try BulkFailedRow.parse(text) } catch { #expect(!error.message.isEmpty) }
            do { _ = try BulkSuccessfulRow.parse(text) } catch { #expect(!error.message.isEmpty) }
            _ = APIUsage(headerValue: text)
            _ = SalesforceDateTime(text)
            _ = SalesforceDate(text)
            for status in [200, 400, 404, 500] {
                _ = StandardApexReplyInterpreter().interpret(HTTPResponse(status: status, body: body), for: request)
            }
        }
        #expect(refused > 100)
    }
}
