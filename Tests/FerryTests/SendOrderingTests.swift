import Ferry
import FerryTesting
import Foundation
import Testing

/// Issue #16 item 2 through `ferry send`: repeated keys, as a new user tries them.
@Suite("ferry send: per-record order")
struct SendOrderingTests {
    /// The secret of ``SimulatedClient/example``, as the environment passes it.
    static let secret = "ferry-client-secret"

    /// Runs `ferry send` against `org` served on loopback, with fast retries.
    static func send(
        _ org: SimulatedSalesforceOrg, template: String, lines: [String], _ arguments: [String]
    ) async throws -> (status: Int32, report: JSONValue?, stderr: String) {
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-order-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let templatePath = directory.appendingPathComponent("template.json").path
        let dataPath = directory.appendingPathComponent("data.jsonl").path
        let reportPath = directory.appendingPathComponent("report.json").path
        try Data(template.utf8).write(to: URL(fileURLWithPath: templatePath))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: dataPath))
        let result = try await CLI.run(
            ["send", "--domain", server.baseURL.absoluteString, "--client-id", SimulatedClient.example.id,
             "--template", templatePath, "--data", dataPath, "--report", reportPath, "--retry-base-ms", "5",
             "--retry-max-ms", "40", "--cooldown-ms", "40"] + arguments,
            environment: ["FERRY_CLIENT_SECRET": Self.secret])
        let report = try? JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: reportPath)))
        return (result.status, report, result.stderr)
    }

    static func feedbackOrg() throws -> SimulatedSalesforceOrg {
        let org = SimulatedSalesforceOrg()
        org.register(try SimulatedObject("Feedback__c", fields: [
            .text("Name"), .text("Delivery_Key__c", externalID: true, unique: true), .number("Score__c"),
        ]))
        return org
    }

    @Test("600 upserts of 100 keys (6 versions each, in order): no DUPLICATE_EXTERNAL_ID, each key at its last version")
    func repeatedKeys() async throws {
        let org = try Self.feedbackOrg()
        // A 503 on every 4th of the first 32 calls: retried batches must still not let an older version overtake a
        // newer one. Finite, and fewer than --max-attempts, so no batch can be unlucky enough to run out of attempts
        // when the calls fall into lock-step on a busy machine.
        org.inject(.sequence(Array(repeating: [nil, nil, nil, .serverUnavailable], count: 8).flatMap { $0 }, on: .collections))
        let lines = (1...100).flatMap { key in (1...6).map { #"{"key": "K-\#(key)", "version": \#($0)}"# } }
        let (status, report, stderr) = try await Self.send(
            org, template: #"{"Name": "Feedback {{ key }}", "Delivery_Key__c": "{{ key }}", "Score__c": {{ version }}}"#,
            lines: lines, ["--sobject", "Feedback__c", "--external-id", "Delivery_Key__c", "--max-attempts", "20"])
        #expect(status == 0, "\(stderr)")
        #expect(report?["total"] == 600)
        #expect(report?["delivered"] == 600)
        #expect(report?["failed"] == 0, "\(report?["failures"]?.jsonString() ?? "")")
        #expect(org.counters.faultsByKind["SERVER_UNAVAILABLE", default: 0] > 0)
        let records = org.records(of: "Feedback__c")
        #expect(records.count == 100)
        #expect(records.allSatisfy { $0["Score__c"]?.intValue == 6 })
    }

    @Test("--apex --order-by Profile.Identity: each user's lines reach the class in file order through 503s; a line without the value fails")
    func apexOrderBy() async throws {
        let org = SimulatedSalesforceOrg()
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.inject(.sequence(Array(repeating: [nil, nil, .serverUnavailable], count: 6).flatMap { $0 }, on: .apexREST))
        // Four lines per user, interleaved as a live feed sends them; the score is the line's version.
        var lines = (1...4).flatMap { version in
            (1...5).map { user in #"{"Profile": {"Identity": "u-\#(user)"}, "Event": {"version": \#(version)}}"# }
        }
        lines.append(#"{"Profile": {}, "Event": {"version": 9}}"#)
        let (status, report, stderr) = try await Self.send(
            org, template: #"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event.version }}}"#, lines: lines,
            ["--apex", "CleverTap/InsertNPSFeedback", "--order-by", "Profile.Identity", "--max-attempts", "20"])
        #expect(status == 1)
        #expect(report?["delivered"] == 20)
        #expect(report?["failed"] == 1, "\(report?["failures"]?.jsonString() ?? "")")
        let failure = report?["failures"]?[0]
        #expect(failure?["line"] == 21)
        #expect(failure?["error_code"] == "ORDER_BY_MISSING")
        #expect(stderr.contains("ORDER_BY_MISSING"))
        #expect(org.counters.faultsByKind["SERVER_UNAVAILABLE", default: 0] > 0)
        // The seed's class inserts a record per call, in the order the calls arrive: each user's are in file order.
        let records = org.records(of: "CleverTap__CleverTap_NPS__c")
        #expect(records.count == 20)
        for user in 1...5 {
            let scores = records.filter { $0["CleverTap__userId__c"]?.stringValue == "u-\(user)" }
                .compactMap { $0["CleverTap__npsScore__c"]?.intValue }
            #expect(scores == [1, 2, 3, 4], "u-\(user)")
        }
    }
}
