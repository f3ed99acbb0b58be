import Ferry
import FerryTesting
import Foundation
import Testing

/// `ferry check --verify`: the seed's "Verify Integration" against the simulated org over loopback.
@Suite("ferry check --verify", .serialized)
struct CheckVerifyTests {
    static let secret = "ferry-client-secret"

    /// Writes the template and data, serves `org`, and runs `ferry check` with `arguments` after the common ones.
    func run(_ org: SimulatedSalesforceOrg, template: String, data: String, _ arguments: [String]) async throws -> CLI.Result {
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-verify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let templatePath = directory.appendingPathComponent("payload.liquid").path
        let dataPath = directory.appendingPathComponent("data.jsonl").path
        try Data(template.utf8).write(to: URL(fileURLWithPath: templatePath))
        try Data(data.utf8).write(to: URL(fileURLWithPath: dataPath))
        return try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", SimulatedClient.example.id, "--template",
             templatePath, "--data", dataPath] + arguments,
            environment: ["FERRY_CLIENT_SECRET": Self.secret])
    }

    static let seedSpec: ApexObjectSpec = {
        // Literal names the generator accepts; the tests fail at once if it ever does not.
        (try? ApexObjectSpec(
            object: "CleverTap__CleverTap_NPS__c",
            fields: ["userId:Text", "npsScore:Number", "timestamp:DateTime"].compactMap { try? ApexFieldSpec(parsing: $0) },
            namespace: "CleverTap", mapping: "/InsertNPSFeedback")).unsafelyUnwrapped
    }()

    static let template = #"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] }}, "timestamp": "{{ Event.When }}"}"#

    @Test("a generated class: the reply's id, every field matches, the record is deleted, exit 0")
    func generatedClassMatches() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(generatedClassFor: Self.seedSpec)
        let result = try await run(
            org, template: Self.template,
            data: #"{"Profile": {"Identity": "u-1"}, "Event": {"User Rating": 9, "When": "2026-11-29T18:52:51+05:30"}}"#,
            ["--apex", "CleverTap/InsertNPSFeedback", "--verify", "--object", "CleverTap__CleverTap_NPS__c", "--namespace", "CleverTap"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("found by the reply's id"))
        #expect(result.stdout.contains("all 3 fields match"))
        #expect(result.stdout.contains("npsScore     CleverTap__npsScore__c"))
        #expect(result.stdout.contains("verify: test record deleted"))
        #expect(org.records(of: "CleverTap__CleverTap_NPS__c").isEmpty)
    }

    @Test("the seed's class reading the time in the Run As user's zone: SOQL by key, the mismatch table, exit 1")
    func seedClassMismatch() async throws {
        var configuration = SimulatedSalesforceOrg.Configuration()
        configuration.runAsUserTimeZone = TimeZone(identifier: "Asia/Kolkata") ?? .current
        let org = SimulatedSalesforceOrg(configuration: configuration, clock: ManualClock())
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let result = try await run(
            org, template: Self.template,
            data: #"{"Profile": {"Identity": "u-1"}, "Event": {"User Rating": 9, "When": "2026-11-29T18:52:51"}}"#,
            ["--apex", "CleverTap/InsertNPSFeedback", "--verify", "--object", "CleverTap__CleverTap_NPS__c", "--namespace",
             "CleverTap", "--key", "CleverTap__userId__c", "--keep"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("WHERE CleverTap__userId__c = 'ferry-verify-"))
        #expect(result.stdout.contains("1 of 3 fields differ"))
        #expect(result.stdout.contains("MISMATCH: stored 5h30m earlier"))
        #expect(result.stdout.contains("timestamp    CleverTap__timestamp__c"))
        #expect(result.stdout.contains("verify: test record kept (--keep)"))
        let kept = try #require(org.records(of: "CleverTap__CleverTap_NPS__c").first)
        #expect(kept["CleverTap__userId__c"]?.stringValue?.hasPrefix("ferry-verify-") == true)
        #expect(!result.stdout.contains(Self.secret))
    }

    @Test("an sObject destination, with --map for a key that is no field name")
    func sObject() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(try SimulatedObject("Feedback__c", fields: [.text("Name", length: 80), .number("Score__c")]))
        let result = try await run(
            org, template: #"{"Name": "{{ Profile.Identity }}", "Score__c": {{ Event.score }}}"#,
            data: #"{"Profile": {"Identity": "u-2"}, "Event": {"score": 4}}"#,
            ["--sobject", "Feedback__c", "--verify"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("all 2 fields match"))
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test(
        "usage errors exit 2",
        arguments: [
            (["--apex", "CleverTap/InsertNPSFeedback", "--verify"], "needs --object NAME"),
            (["--apex", "CleverTap/InsertNPSFeedback", "--keep"], "--keep goes with --verify"),
            (["--apex", "CleverTap/InsertNPSFeedback", "--verify", "--object", "X__c", "--map", "nokey"], "must be KEY=FIELD"),
        ])
    func usage(arguments: [String], message: String) async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        let result = try await run(org, template: "{}", data: "{}\n", arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test("a reply without an id and no --key says what to add, exit 1")
    func noKey() async throws {
        let org = SimulatedSalesforceOrg(clock: ManualClock())
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let result = try await run(
            org, template: Self.template, data: #"{"Profile": {"Identity": "u-1"}, "Event": {"User Rating": 9, "When": ""}}"#,
            ["--apex", "CleverTap/InsertNPSFeedback", "--verify", "--object", "CleverTap__CleverTap_NPS__c", "--namespace", "CleverTap"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("--key CleverTap__userId__c"))
    }
}
