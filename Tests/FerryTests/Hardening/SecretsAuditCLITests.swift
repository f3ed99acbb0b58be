import Ferry
import FerryTesting
import Foundation
import Testing

/// The secrets audit of the `ferry` executable: every command, and its error paths, run as a subprocess with a
/// distinctive client secret against a loopback org that issues distinctive tokens; stdout, stderr and any report
/// file are searched for the secret, the tokens and their 12-character fragments.
@Suite("Hardening: secrets audit of the CLI")
struct SecretsAuditCLITests {
    /// What a case runs against: a loopback org and a scratch directory with templates and data.
    struct Context: Sendable {
        let base: String
        let directory: URL
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let status: Int32
        var secret: String? = SecretsAudit.secret
        /// Whether the org must have issued a token during the run (so there was one to leak).
        var issuesToken = false
        var faults: [SimulatedFaultRule] = []
        var tokenFailures = 0
        let arguments: @Sendable (Context) -> [String]
        var testDescription: String { name }
    }

    static let apexTemplate = #"{"Score": {{ Score }}, "Comment": "{{ Comment }}"}"#
    static let recordTemplate = #"{"Score__c": {{ Score }}, "Comment__c": "{{ Comment }}", "Idempotency_Key__c": "k-{{ Score }}"}"#
    static let data = (1...6).map { #"{"Score": \#($0), "Comment": "line \#($0)"}"# }.joined(separator: "\n") + "\n"
        + #"{"Score": "not a number", "Comment": "bad"}"# + "\n"

    static func token(_ base: String, _ extra: [String] = []) -> [String] {
        ["token", "--domain", base, "--client-id", SecretsAudit.clientID] + extra
    }

    static func send(_ context: Context, _ extra: [String]) -> [String] {
        ["send", "--domain", context.base, "--client-id", SecretsAudit.clientID, "--template", context.path("apex.liquid"),
         "--data", context.path("data.jsonl"), "--retry-base-ms", "5", "--retry-max-ms", "20", "--cooldown-ms", "20"] + extra
    }

    static func check(_ context: Context, _ extra: [String]) -> [String] {
        ["check", "--domain", context.base, "--client-id", SecretsAudit.clientID, "--template", context.path("apex.liquid"),
         "--data", context.path("data.jsonl")] + extra
    }

    static let cases: [Case] = [
        Case(name: "ferry (no arguments)", status: 2) { _ in [] },
        Case(name: "ferry --help", status: 0) { _ in ["--help"] },
        Case(name: "ferry help", status: 0) { _ in ["help"] },
        Case(name: "ferry version", status: 0) { _ in ["version"] },
        Case(name: "an unknown command", status: 2) { _ in ["frobnicate", "--secret", "x"] },
        Case(name: "ferry demo --help", status: 0) { _ in ["demo", "--help"] },
        Case(name: "ferry render --help", status: 0) { _ in ["render", "--help"] },
        Case(name: "ferry token --help", status: 0) { _ in ["token", "--help"] },
        Case(name: "ferry check --help", status: 0) { _ in ["check", "--help"] },
        Case(name: "ferry send --help", status: 0) { _ in ["send", "--help"] },
        Case(name: "ferry apex --help", status: 0) { _ in ["apex", "--help"] },
        Case(name: "ferry demo", status: 0) { _ in ["demo"] },
        Case(name: "ferry render", status: 0) { ["render", $0.path("apex.liquid"), "--data", $0.path("context.json"), "--mode", "json"] },
        Case(name: "ferry render: a template that does not parse", status: 1) { ["render", $0.path("broken.liquid")] },
        Case(name: "ferry render: a missing file", status: 2) { ["render", $0.path("missing.liquid")] },
        Case(name: "ferry apex", status: 0) { _ in ["apex", "--object", "Feedback__c", "--field", "Score:Number"] },
        Case(name: "ferry apex: a bad field", status: 2) { _ in ["apex", "--object", "Feedback__c", "--field", "Score:Nope"] },
        Case(name: "ferry token", status: 0, issuesToken: true) { token($0.base) },
        Case(name: "ferry token --json", status: 0, issuesToken: true) { token($0.base, ["--json"]) },
        Case(name: "ferry token --auth body", status: 0, issuesToken: true) { token($0.base, ["--auth", "body"]) },
        Case(name: "ferry token: wrong secret", status: 1, secret: SecretsAudit.wrongSecret) { token($0.base) },
        Case(name: "ferry token: unknown client id", status: 1) { ["token", "--domain", $0.base, "--client-id", "nobody"] },
        Case(name: "ferry token: no secret", status: 2, secret: nil) { token($0.base) },
        Case(name: "ferry token: login.salesforce.com", status: 2) { _ in token("https://login.salesforce.com") },
        Case(name: "ferry token: http:// to a non-loopback host", status: 2) { _ in token("http://acme.my.salesforce.com") },
        Case(name: "ferry token: the token endpoint answers 503", status: 1, tokenFailures: 5) { token($0.base) },
        Case(name: "ferry check --apex --ping", status: 0, issuesToken: true) { check($0, ["--apex", "SurveyResponse", "--ping"]) },
        Case(name: "ferry check --sobject", status: 0, issuesToken: true) {
            ["check", "--domain", $0.base, "--client-id", SecretsAudit.clientID, "--template", $0.path("record.liquid"),
             "--data", $0.path("data.jsonl"), "--sobject", "Survey_Response__c"]
        },
        Case(name: "ferry check: a wrong Apex path", status: 1, issuesToken: true) { check($0, ["--apex", "Nowhere"]) },
        Case(name: "ferry check: wrong secret", status: 1, secret: SecretsAudit.wrongSecret) { check($0, ["--apex", "SurveyResponse"]) },
        Case(name: "ferry check: http:// to a non-loopback host", status: 2) { context in
            ["check", "--domain", "http://acme.my.salesforce.com", "--client-id", SecretsAudit.clientID,
             "--template", context.path("apex.liquid"), "--data", context.path("data.jsonl"), "--apex", "SurveyResponse"]
        },
        Case(name: "ferry send --apex with a report", status: 1, issuesToken: true) {
            send($0, ["--apex", "SurveyResponse", "--report", $0.path("report.json")])
        },
        Case(
            name: "ferry send --apex through 503s, revoked sessions and token endpoint failures", status: 1, issuesToken: true,
            faults: [.everyNthCall(3, .serverUnavailable), .everyNthCall(4, .revokeSessions), .nextCalls(1, .internalErrorAfterWrite)],
            tokenFailures: 1
        ) {
            send($0, ["--apex", "SurveyResponse", "--report", $0.path("report.json"), "--outbox", $0.path("outbox")])
        },
        Case(name: "ferry send --sobject --external-id", status: 1, issuesToken: true) {
            ["send", "--domain", $0.base, "--client-id", SecretsAudit.clientID, "--template", $0.path("record.liquid"),
             "--data", $0.path("data.jsonl"), "--sobject", "Survey_Response__c", "--external-id", "Idempotency_Key__c",
             "--report", $0.path("report.json")]
        },
        Case(name: "ferry send: wrong secret", status: 2, secret: SecretsAudit.wrongSecret) {
            send($0, ["--apex", "SurveyResponse", "--report", $0.path("report.json")])
        },
        Case(name: "ferry send: http:// to a non-loopback host", status: 2) { context in
            ["send", "--domain", "http://acme.my.salesforce.com", "--client-id", SecretsAudit.clientID, "--template",
             context.path("apex.liquid"), "--data", context.path("data.jsonl"), "--apex", "SurveyResponse"]
        },
    ]

    @Test("no output of any command holds the secret or a token", .serialized, arguments: cases)
    func audit(_ testCase: Case) async throws {
        let org = SecretsAudit.org()
        for rule in testCase.faults { org.inject(rule) }
        if testCase.tokenFailures > 0 { org.failTokenRequests(next: testCase.tokenFailures) }
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let context = Context(base: server.baseURL.absoluteString, directory: directory)
        try Data(Self.apexTemplate.utf8).write(to: directory.appendingPathComponent("apex.liquid"))
        try Data(Self.recordTemplate.utf8).write(to: directory.appendingPathComponent("record.liquid"))
        try Data("{% if x %}unclosed".utf8).write(to: directory.appendingPathComponent("broken.liquid"))
        try Data(Self.data.utf8).write(to: directory.appendingPathComponent("data.jsonl"))
        try Data(#"{"Score": 9, "Comment": "ok"}"#.utf8).write(to: directory.appendingPathComponent("context.json"))

        // An empty value is what an unset secret looks like to the CLI.
        let result = try await CLI.run(testCase.arguments(context), environment: ["FERRY_CLIENT_SECRET": testCase.secret ?? ""])
        #expect(result.status == testCase.status, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        if testCase.issuesToken { #expect(org.counters.tokensIssued > 0) }
        if !testCase.faults.isEmpty || testCase.tokenFailures > 0 { #expect(org.counters.faultsInjected > 0) }

        var outputs = ["stdout": result.stdout, "stderr": result.stderr]
        if let report = try? String(contentsOf: directory.appendingPathComponent("report.json"), encoding: .utf8) {
            outputs["report.json"] = report
        }
        if testCase.name.contains("with a report") { #expect(outputs["report.json"] != nil) }
        let tokens = org.issuedAccessTokens
        for (name, text) in outputs {
            #expect(SecretsAudit.leaks(in: text, tokens: tokens).isEmpty, "\(name) leaks: \(SecretsAudit.leaks(in: text, tokens: tokens))")
        }
    }

    @Test("ferry token prints the token only with --reveal, and never the secret")
    func reveal() async throws {
        let org = SecretsAudit.org()
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let result = try await CLI.run(
            Self.token(server.baseURL.absoluteString, ["--reveal"]), environment: ["FERRY_CLIENT_SECRET": SecretsAudit.secret])
        #expect(result.status == 0)
        let token = try #require(org.issuedAccessTokens.first)
        #expect(result.stdout.contains(token))
        // The scanner finds a token it is shown, so its silence elsewhere means something.
        #expect(!SecretsAudit.leaks(in: result.stdout, tokens: org.issuedAccessTokens).isEmpty)
        let secretFragments = SecretsAudit.fragments(tokens: []).subtracting([SecretsAudit.tokenInfix, SecretsAudit.tokenMarker])
        #expect(secretFragments.filter { result.stdout.contains($0) || result.stderr.contains($0) }.isEmpty)
    }

    @Test("the scanner finds the secret, its Basic encoding, a token's tail and 12-character fragments")
    func scannerFindsLeaks() {
        let token = "00D5g000004XYZa!AQ4AQ" + SecretsAudit.tokenMarker + "abcdefghijklmnopqrstuvwxyz0123456789"
        let basic = Data("\(SecretsAudit.clientID):\(SecretsAudit.secret)".utf8).base64EncodedString()
        let planted = [
            SecretsAudit.secret, "Authorization: Basic \(basic)", String(SecretsAudit.secret.dropFirst(7)),
            "…" + String(token.suffix(20)), "client_secret=" + SecretsAudit.wrongSecret,
        ]
        for text in planted { #expect(!SecretsAudit.leaks(in: text, tokens: [token]).isEmpty, "\(text)") }
        #expect(SecretsAudit.leaks(in: "Bearer 00D5g0…(112 chars) ferry-audit-client 00D5g000004XYZa", tokens: [token]).isEmpty)
    }
}
