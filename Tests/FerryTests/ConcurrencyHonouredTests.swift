import Ferry
import FerryTesting
import Foundation
import Testing

/// The concurrency a user configures is the number of requests in flight at the server: counted there by an
/// `InFlightGate` that holds every Apex request until that many are open at once (no timing involved).
/// URLSession's default of 6 connections per host used to cap every pipeline at 6.
@Suite("configured concurrency reaches the server")
struct ConcurrencyHonouredTests {
    /// A token endpoint answering like Salesforce, and an Apex class that answers `"Success"` once `gate` opens.
    static func org(gate: InFlightGate) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            if request.url.path == "/services/oauth2/token" {
                let issuedAt = String(Int64(Date().timeIntervalSince1970 * 1000))
                return .response(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], text: """
                    {"access_token":"00DFAKE0000000001!AQ.token","signature":"c2ln","scope":"api",\
                    "instance_url":"https://acme.my.salesforce.com",\
                    "id":"https://login.salesforce.com/id/00DFAKE0000000001/005FAKE0000000001",\
                    "token_type":"Bearer","issued_at":"\(issuedAt)"}
                    """))
            }
            await gate.enter()
            await gate.leave()
            return .response(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], text: #""Success""#))
        }
    }

    @Test("SalesforceExporter with its default transport keeps as many requests in flight as its concurrency", arguments: [16, 50])
    func exporter(concurrency: Int) async throws {
        let gate = InFlightGate(target: concurrency, giveUpAfter: .seconds(5))
        let server = try Self.org(gate: gate)
        defer { server.stop() }
        let exporter = try SalesforceExporter(
            org: .myDomain(server.baseURL.absoluteString),
            credentials: .clientCredentials(id: "client", secret: "concurrency-secret"),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ Profile.Identity }}"}"#),
            configuration: .init(concurrency: try PositiveCount(concurrency, for: "concurrency"), batchLinger: .zero))
        for n in 0..<(2 * concurrency) { try await exporter.send(["Profile": ["Identity": .string("u-\(n)")]]) }
        let result = await exporter.shutdown()
        #expect(result.report.delivered == 2 * concurrency)
        let peak = await gate.peak
        #expect(peak == concurrency)
    }

    @Test("ferry send --concurrency 16 keeps 16 requests in flight")
    func sendCommand() async throws {
        let gate = InFlightGate(target: 16, giveUpAfter: .seconds(5))
        let server = try Self.org(gate: gate)
        defer { server.stop() }
        let fixture = try SendFixture(lines: (1...32).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let result = try await CLI.run(
            ["send", "--domain", server.baseURL.absoluteString, "--client-id", "client", "--template",
             fixture.templatePath, "--data", fixture.dataPath, "--report", fixture.reportPath,
             "--apex", "CleverTap/InsertNPSFeedback", "--concurrency", "16"],
            environment: ["FERRY_CLIENT_SECRET": "concurrency-secret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try fixture.report()["delivered"]?.intValue == 32)
        let peak = await gate.peak
        #expect(peak == 16)
    }
}
