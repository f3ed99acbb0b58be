import Ferry
import FerryTesting
import Foundation
import Testing

/// Files for one `ferry send` run in a scratch directory, and the arguments that point at them.
struct SendFixture {
    static let apexTemplate = """
        {% if Event.skip %}{% abort "skipped by the template" %}{% endif %}{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}
        """
    static let collectionsTemplate = """
        {"Delivery_Key__c": "k-{{ Profile.Identity }}", "User_Id__c": "{{ Profile.Identity }}", "Score__c": {{ Event.score | default: 0 }}}
        """

    let directory: URL

    init(template: String = SendFixture.apexTemplate, lines: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-send-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(template.utf8).write(to: url("template.json"))
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url("data.jsonl"))
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
    var templatePath: String { url("template.json").path }
    var dataPath: String { url("data.jsonl").path }
    var reportPath: String { url("report.json").path }
    var outboxPath: String { url("outbox").path }

    /// A line whose user is `u-<n>`.
    static func line(_ n: Int, rating: Int? = nil) -> String {
        #"{"Profile": {"Identity": "u-\#(n)"}, "Event": {"User Rating": \#(rating ?? n % 11), "score": \#(n % 11)}}"#
    }

    /// `ferry send` arguments for `org`, plus fast retries so fault tests finish in seconds.
    func arguments(_ org: SendCommandTestOrg, _ extra: [String]) -> [String] {
        ["send", "--domain", org.baseURL, "--client-id", SendCommandTestOrg.clientID, "--template", templatePath,
         "--data", dataPath, "--report", reportPath, "--retry-base-ms", "5", "--retry-max-ms", "40",
         "--cooldown-ms", "40"] + extra
    }

    func report() throws -> JSONValue { try JSONValue(parsing: try Data(contentsOf: url("report.json"))) }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    static let environment = ["FERRY_CLIENT_SECRET": SendCommandTestOrg.secret]
}

@Suite("ferry send", .serialized)
struct SendCommandTests {
    /// The keys of the report's failures, by line.
    static func failuresByLine(_ report: JSONValue) -> [Int: JSONValue] {
        var result: [Int: JSONValue] = [:]
        for failure in report["failures"]?.arrayValue ?? [] { result[failure["line"]?.intValue ?? 0] = failure }
        return result
    }

    @Test("--lease-ms 1000 with every request taking 2.5 s and idle deliverers waiting: each line is sent once")
    func slowRequestsShortLease() async throws {
        let fixture = try SendFixture(lines: (1...3).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg(faults: [
            "u-1": .slow(milliseconds: 2_500), "u-2": .slow(milliseconds: 2_500), "u-3": .slow(milliseconds: 2_500),
        ])
        defer { org.stop() }
        // Should a line be sent twice, each later holder's lease would lapse too and the run would never end: stop
        // the org then, so the run fails (its lines unanswered) instead of hanging the test.
        let watchdog = Task {
            while !Task.isCancelled, org.apexRequests <= 3 { try? await Task.sleep(for: .milliseconds(20)) }
            org.stop()
        }
        defer { watchdog.cancel() }
        let result = try await CLI.run(
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback", "--concurrency", "4", "--lease-ms", "1000"]),
            environment: SendFixture.environment)
        let report = try fixture.report()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(report["delivered"] == 3)
        // Three requests at the org: the fourth deliverer, waiting for a lease to run out, never got one.
        #expect(org.apexRequests == 3)
        #expect(report["attempts"] == 3)
        #expect(org.keysByUser.values.allSatisfy { $0.count == 1 })
    }

    @Test("Apex end to end against injected faults: nothing lost, nothing duplicated, every failure with its line")
    func apexEndToEnd() async throws {
        var lines = (1...40).map { SendFixture.line($0) }
        lines[19] = #"{"Profile": {"Identity": "u-20""#                      // line 20: invalid JSON
        lines[20] = "[1, 2]"                                                  // line 21: not an object
        lines[24] = #"{"Profile": {"Identity": "u-25"}, "Event": {"skip": true}}"#  // line 25: {% abort %}
        lines[29] = "   "                                                     // line 30: blank, skipped
        let fixture = try SendFixture(lines: lines)
        defer { fixture.remove() }
        let org = try SendCommandTestOrg(
            faults: [
                "u-3": .unavailable(times: 2), "u-5": .lockRow(times: 1), "u-7": .limit(times: 1),
                "u-9": .storedThen500, "u-11": .errorString, "u-12": .errorString, "u-13": .alwaysUnavailable,
                "u-15": .requiredFieldMissing,
            ],
            expireSessionAfter: 20)
        defer { org.stop() }

        let result = try await CLI.run(
            // A 5 s lease, renewed between requests and during each one while retries and the session expiry
            // stretch a deliverer's work (a lease shorter than one request: `slowRequestsShortLease`).
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback", "--concurrency", "4", "--max-attempts", "4",
                                    "--lease-ms", "5000"]),
            environment: SendFixture.environment)
        let report = try fixture.report()
        print("ferry send (Apex) report:\n\(report.jsonString(prettyPrinted: true))")

        #expect(result.status == 1)
        #expect(report["total"] == 39)
        #expect(report["delivered"] == 32)
        #expect(report["failed"] == 6)
        #expect(report["aborted"] == 1)
        // 32 delivered lines once each, plus the retries of lines 3 (2), 5, 7, 9 (1 each); 3 final failures once;
        // line 13 four times. The 401 replay is inside one attempt.
        #expect(report["attempts"] == 44)
        #expect(org.apexRequests == 44)
        #expect(report["token_requests"] == 2)
        #expect(org.tokenRequests == 2)
        #expect(org.sessionExpiredReplies >= 1)
        #expect(report["api_calls"]?.intValue == org.apiRequests)

        let failures = Self.failuresByLine(report)
        #expect(Set(failures.keys) == [11, 12, 13, 15, 20, 21])
        // The class caught a DmlException; its code survives in the "Error: ..." text and is reported.
        #expect(failures[11]?["error_code"] == "INVALID_TYPE_ON_FIELD_IN_RECORD")
        #expect(failures[11]?["status"] == 200)
        #expect(failures[11]?["message"]?.stringValue?.contains("INVALID_TYPE_ON_FIELD_IN_RECORD") == true)
        #expect(failures[12]?["error_code"] == "INVALID_TYPE_ON_FIELD_IN_RECORD")
        #expect(failures[13]?["error_code"] == "SERVER_UNAVAILABLE")
        #expect(failures[13]?["status"] == 503)
        #expect(failures[15]?["error_code"] == "REQUIRED_FIELD_MISSING")
        #expect(failures[15]?["status"] == 400)
        #expect(failures[20]?["error_code"] == "INVALID_JSON")
        #expect(failures[20]?["status"] == .null)
        #expect(failures[21]?["error_code"] == "INVALID_CONTEXT")

        // Nothing lost: every delivered line is stored, under its own line's key. Nothing duplicated: one key per
        // user, one write per key except line 9, whose retry after the stored-then-500 updated the same record.
        let delivered = Set((1...40).filter { ![11, 12, 13, 15, 20, 21, 25, 30].contains($0) }.map { "u-\($0)" })
        #expect(Set(org.keysByUser.keys) == delivered)
        for (user, keys) in org.keysByUser {
            #expect(keys.count == 1, "\(user) stored under \(keys)")
            let line = user.dropFirst(2)
            #expect(keys.first?.hasPrefix("line-\(line)-") == true)
            #expect(org.writesByKey[keys.first ?? ""] == (user == "u-9" ? 2 : 1))
        }
        #expect(org.records.count == 32)
        // stderr names each failed line; no progress line when stderr is not a terminal.
        #expect(result.stderr.contains("\(fixture.dataPath):13: SERVER_UNAVAILABLE (HTTP 503): "))
        #expect(!result.stderr.contains("ferry send:"))
        #expect(result.stdout.contains("32 of 39 lines delivered, 6 failed, 1 aborted"))
    }

    @Test("Collections upsert end to end: batches, per-record failures, a stored-then-500 batch, limits, expiry")
    func collectionsEndToEnd() async throws {
        let fixture = try SendFixture(template: SendFixture.collectionsTemplate, lines: (1...450).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg(
            faults: ["u-10": .lockRow(times: 1), "u-15": .requiredFieldMissing],
            requestFaults: [1: .unavailable, 2: .storedThen500, 4: .limit], expireSessionAfter: 3)
        defer { org.stop() }

        let result = try await CLI.run(
            fixture.arguments(org, ["--sobject", "Feedback__c", "--external-id", "Delivery_Key__c", "--max-attempts", "5"]),
            environment: SendFixture.environment)
        let report = try fixture.report()
        print("ferry send (Collections) report:\n\(report.jsonString(prettyPrinted: true))")

        #expect(result.status == 1)
        #expect(report["total"] == 450)
        #expect(report["delivered"] == 449)
        #expect(report["failed"] == 1)
        let failures = Self.failuresByLine(report)
        #expect(Set(failures.keys) == [15])
        #expect(failures[15]?["error_code"] == "REQUIRED_FIELD_MISSING")
        #expect(failures[15]?["message"]?.stringValue?.contains("Required fields are missing: [Name]") == true)
        #expect(report["token_requests"] == 2)
        #expect(org.tokenRequests == 2)
        #expect(report["api_calls"]?.intValue == org.apiRequests)
        // 450 records need at least 3 calls of 200; the faults add a few, never one call per record. When the machine
        // is busy the lines arrive slower than 8 deliverers (now really 8 connections) send them, and a deliverer
        // sends a partial batch after batchLinger: a few dozen calls then, still far from 450.
        #expect(org.collectionsRequests >= 3 && org.collectionsRequests < 60)

        #expect(org.records.count == 449)
        for (user, keys) in org.keysByUser {
            #expect(keys == ["k-\(user)"])
        }
        // A retried batch updates (a second write) and never creates a second record.
        let writes = org.writesByKey.values
        #expect(writes.allSatisfy { $0 == 1 || $0 == 2 })
        #expect(writes.filter { $0 == 2 }.count > 0)
    }

    @Test("every line delivered: exit 0, and the Idempotency-Key of a line is the same in every run")
    func stableKeys() async throws {
        let fixture = try SendFixture(lines: (1...5).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let arguments = fixture.arguments(org, ["--apex", "/CleverTap/InsertNPSFeedback"])

        let first = try await CLI.run(arguments, environment: SendFixture.environment)
        #expect(first.status == 0, "\(first.stderr)")
        let report = try fixture.report()
        #expect(report == [
            "total": 5, "delivered": 5, "failed": 0, "attempts": 5, "token_requests": 1, "api_calls": 5,
            "failures": [], "aborted": 0, "delivered_in_earlier_runs": 0,
        ])
        let keys = org.idempotencyKeys
        #expect(keys.count == 5)
        #expect(keys.allSatisfy { $0.wholeMatch(of: /line-[1-5]-[0-9a-f]{16}/) != nil })

        let second = try await CLI.run(arguments, environment: SendFixture.environment)
        #expect(second.status == 0)
        #expect(Set(org.idempotencyKeys.suffix(5)) == Set(keys))
        #expect(org.records.count == 5)
    }

    @Test("--api-reserve-percent: once the org's answer shows the reserve reached, no more requests; the rest fail")
    func apiReserve() async throws {
        let fixture = try SendFixture(lines: (1...5).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        // The test org answers api-usage=N/15000: with the whole limit reserved, the first answer reaches it.
        let arguments = fixture.arguments(
            org, ["--apex", "/CleverTap/InsertNPSFeedback", "--concurrency", "1", "--api-reserve-percent", "100"])
        let result = try await CLI.run(arguments, environment: SendFixture.environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(org.apexRequests == 1)
        let report = try fixture.report()
        #expect(report["delivered"] == 1)
        #expect(report["failed"] == 4)
        let failures = Self.failuresByLine(report)
        #expect(failures.count == 4)
        #expect(failures.values.allSatisfy { $0["error_code"] == "API_RESERVE_REACHED" })
        #expect(failures.values.allSatisfy { $0["message"]?.stringValue?.contains("1/15000") == true })
    }

    @Test("--api-reserve-percent with --outbox: the lines not sent stay in the outbox and a later run sends them")
    func apiReserveKeepsLinesInTheOutbox() async throws {
        let fixture = try SendFixture(lines: (1...5).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let common = ["--apex", "/CleverTap/InsertNPSFeedback", "--concurrency", "1", "--outbox", fixture.outboxPath]

        let first = try await CLI.run(
            fixture.arguments(org, common + ["--api-reserve-percent", "100"]), environment: SendFixture.environment)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(org.apexRequests == 1)
        let kept = try fixture.report()
        #expect(kept["delivered"] == 1)
        let failures = Self.failuresByLine(kept)
        #expect(failures.count == 4)
        #expect(failures.values.allSatisfy { $0["error_code"] == "API_RESERVE_REACHED" })
        #expect(failures.values.allSatisfy { $0["message"]?.stringValue?.contains("1/15000") == true })
        #expect(failures.values.allSatisfy { $0["message"]?.stringValue?.contains("kept in the outbox") == true })

        // Once the allowance allows (here: the reserve off), the same command sends what was kept, and only that.
        let second = try await CLI.run(
            fixture.arguments(org, common + ["--api-reserve-percent", "0"]), environment: SendFixture.environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(org.apexRequests == 5)
        #expect(org.records.count == 5)
        let report = try fixture.report()
        #expect(report["delivered"] == 5)
        #expect(report["failed"] == 0)
    }

    @Test("--outbox: a second run recognises delivered and failed lines and sends nothing again")
    func outboxSecondRun() async throws {
        let fixture = try SendFixture(lines: (1...10).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg(faults: ["u-4": .errorString])
        defer { org.stop() }
        let arguments = fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback", "--outbox", fixture.outboxPath])

        let first = try await CLI.run(arguments, environment: SendFixture.environment)
        #expect(first.status == 1)
        #expect(try fixture.report()["delivered"] == 9)
        #expect(org.apexRequests == 10)

        let second = try await CLI.run(arguments, environment: SendFixture.environment)
        #expect(second.status == 1)
        #expect(org.apexRequests == 10)
        let report = try fixture.report()
        #expect(report["total"] == 10)
        #expect(report["delivered"] == 9)
        #expect(report["delivered_in_earlier_runs"] == 9)
        #expect(report["failed"] == 1)
        #expect(report["attempts"] == 0)
        let failure = try #require(Self.failuresByLine(report)[4])
        #expect(failure["error_code"] == "INVALID_TYPE_ON_FIELD_IN_RECORD")
        #expect(failure["message"]?.stringValue?.contains("earlier run") == true)
        #expect(second.stdout.contains("9 of 10 lines delivered (9 by an earlier run)"))
    }

    @Test("a line whose payload is larger than a template may render fails alone, with its line; the others go")
    func oversizedLine() async throws {
        let blob = String(repeating: "x", count: 5 << 20)
        let fixture = try SendFixture(
            template: #"{"userId": "{{ Profile.Identity }}", "blob": "{{ Profile.Blob }}"}"#,
            lines: [SendFixture.line(1), #"{"Profile": {"Identity": "u-2", "Blob": "\#(blob)"}}"#, SendFixture.line(3)])
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let result = try await CLI.run(
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback", "--outbox", fixture.outboxPath]),
            environment: SendFixture.environment)
        #expect(result.status == 1)
        let report = try fixture.report()
        #expect(report["delivered"] == 2)
        #expect(report["failed"] == 1)
        let failure = try #require(Self.failuresByLine(report)[2])
        #expect(failure["error_code"] == "TEMPLATE_ERROR")
        #expect(failure["message"]?.stringValue?.contains("output is larger than the limit") == true)
        #expect(Set(org.keysByUser.keys) == ["u-1", "u-3"])
    }

    @Test("--outbox held by another process: exit 2 before any traffic")
    func lockedOutbox() async throws {
        let fixture = try SendFixture(lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let holder = try FileOutbox(directory: URL(fileURLWithPath: fixture.outboxPath))
        let result = try await CLI.run(
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback", "--outbox", fixture.outboxPath]),
            environment: SendFixture.environment)
        try await holder.close()
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: --outbox:"))
        #expect(org.tokenRequests == 0 && org.apiRequests == 0)
    }

    @Test("refused credentials: exit 2 with the OAuth error, and no data sent")
    func refusedCredentials() async throws {
        let fixture = try SendFixture(lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let result = try await CLI.run(
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback"]),
            environment: ["FERRY_CLIENT_SECRET": "wrong-secret-value"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("invalid_client"))
        #expect(result.stderr.contains("Nothing was sent."))
        #expect(!result.stderr.contains("wrong-secret-value"))
        #expect(org.tokenRequests == 1 && org.apiRequests == 0)
    }

    @Test("a template that does not parse: exit 2 with FILE:LINE:COLUMN: error:")
    func templateParseError() async throws {
        let fixture = try SendFixture(template: "{\"userId\": {{ Profile.Identity }", lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let result = try await CLI.run(
            fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback"]), environment: SendFixture.environment)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(fixture.templatePath):1:12: error: "))
        #expect(org.tokenRequests == 0)
    }

    struct UsageCase: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        let environment: [String: String]
        let message: String
        var testDescription: String { name }
    }

    static let usageCases: [UsageCase] = [
        .init(name: "no destination", arguments: [], environment: SendFixture.environment, message: "--apex PATH"),
        .init(name: "two destinations", arguments: ["--apex", "A", "--sobject", "Feedback__c"],
              environment: SendFixture.environment, message: "exclude each other"),
        .init(name: "--external-id without --sobject", arguments: ["--apex", "A", "--external-id", "Key__c"],
              environment: SendFixture.environment, message: "--external-id applies to --sobject only"),
        .init(name: "missing secret", arguments: ["--apex", "A"], environment: ["FERRY_CLIENT_SECRET": ""],
              message: "FERRY_CLIENT_SECRET"),
        .init(name: "bad Apex path", arguments: ["--apex", "A B"], environment: SendFixture.environment,
              message: "--apex: URL mapping"),
        .init(name: "wildcard Apex path", arguments: ["--apex", "Feedback/*"], environment: SendFixture.environment,
              message: "wildcard"),
        .init(name: "bad object name", arguments: ["--sobject", "Bad__Name__c__"], environment: SendFixture.environment,
              message: "--sobject:"),
        .init(name: "bad API version", arguments: ["--apex", "A", "--api-version", "sixty"],
              environment: SendFixture.environment, message: "--api-version:"),
        .init(name: "concurrency out of range", arguments: ["--apex", "A", "--concurrency", "0"],
              environment: SendFixture.environment, message: "--concurrency must be a whole number from 1 to 50"),
        .init(name: "max attempts not a number", arguments: ["--apex", "A", "--max-attempts", "many"],
              environment: SendFixture.environment, message: "--max-attempts must be a whole number"),
        .init(name: "API reserve over 100 %", arguments: ["--apex", "A", "--api-reserve-percent", "101"],
              environment: SendFixture.environment, message: "--api-reserve-percent must be a whole number from 0 to 100"),
        .init(name: "lease too short", arguments: ["--apex", "A", "--lease-ms", "50"],
              environment: SendFixture.environment, message: "--lease-ms must be a whole number from 100 to 3600000"),
        .init(name: "lease of zero", arguments: ["--apex", "A", "--lease-ms", "0"],
              environment: SendFixture.environment, message: "--lease-ms must be a whole number from 100 to 3600000; got '0'"),
        .init(name: "negative lease", arguments: ["--apex", "A", "--lease-ms", "-1"],
              environment: SendFixture.environment, message: "--lease-ms must be a whole number from 100 to 3600000; got '-1'"),
        .init(name: "zero attempts", arguments: ["--apex", "A", "--max-attempts", "0"],
              environment: SendFixture.environment, message: "--max-attempts must be a whole number from 1 to 50; got '0'"),
        .init(name: "zero cool-down", arguments: ["--apex", "A", "--cooldown-ms", "0"],
              environment: SendFixture.environment, message: "--cooldown-ms must be a whole number from 1 to 3600000; got '0'"),
        .init(name: "zero retry base", arguments: ["--apex", "A", "--retry-base-ms", "0"],
              environment: SendFixture.environment, message: "--retry-base-ms must be a whole number from 1 to 600000; got '0'"),
        .init(name: "retry cap below the base", arguments: ["--apex", "A", "--retry-base-ms", "500", "--retry-max-ms", "200"],
              environment: SendFixture.environment,
              message: "--retry-max-ms (200) must not be below --retry-base-ms (500): the cap bounds every retry pause; raise --retry-max-ms or lower --retry-base-ms"),
        .init(name: "--order-by with --sobject", arguments: ["--sobject", "Feedback__c", "--order-by", "Profile.Identity"],
              environment: SendFixture.environment, message: "--order-by applies to --apex only"),
        .init(name: "--order-by not a path", arguments: ["--apex", "A", "--order-by", "Profile..Identity"],
              environment: SendFixture.environment, message: "--order-by 'Profile..Identity' is not a path"),
        .init(name: "--order-by empty", arguments: ["--apex", "A", "--order-by", ""],
              environment: SendFixture.environment, message: "is not a path"),
        .init(name: "unknown option", arguments: ["--apex", "A", "--fast"], environment: SendFixture.environment,
              message: "unknown option '--fast'"),
        .init(name: "report in a missing directory", arguments: ["--apex", "A", "--report", "/nonexistent/dir/r.json"],
              environment: SendFixture.environment, message: "--report:"),
    ]

    @Test("usage and configuration errors: exit 2, a message that says what to fix, no traffic", arguments: usageCases)
    func usageErrors(_ usageCase: UsageCase) async throws {
        let fixture = try SendFixture(lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let arguments = ["send", "--domain", org.baseURL, "--client-id", "c", "--template", fixture.templatePath,
                         "--data", fixture.dataPath] + usageCase.arguments
        let result = try await CLI.run(arguments, environment: usageCase.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains(usageCase.message), "\(result.stderr)")
        #expect(org.tokenRequests == 0 && org.apiRequests == 0)
    }

    @Test("http:// to a host that is not loopback is refused before any traffic")
    func plainHTTPRefused() async throws {
        let fixture = try SendFixture(lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let result = try await CLI.run(
            ["send", "--domain", "http://acme.my.salesforce.com", "--client-id", "c", "--template", fixture.templatePath,
             "--data", fixture.dataPath, "--apex", "A"],
            environment: SendFixture.environment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("must use https://"))
    }

    @Test("unreadable template or data file: exit 2")
    func unreadableFiles() async throws {
        let fixture = try SendFixture(lines: [SendFixture.line(1)])
        defer { fixture.remove() }
        let base = ["send", "--domain", "https://acme.my.salesforce.com", "--client-id", "c", "--apex", "A"]
        let noTemplate = try await CLI.run(
            base + ["--template", "/nonexistent/t.json", "--data", fixture.dataPath], environment: SendFixture.environment)
        #expect(noTemplate.status == 2)
        #expect(noTemplate.stderr.contains("cannot read template file '/nonexistent/t.json'"))
        let noData = try await CLI.run(
            base + ["--template", fixture.templatePath, "--data", "/nonexistent/d.jsonl"], environment: SendFixture.environment)
        #expect(noData.status == 2)
        #expect(noData.stderr.contains("cannot read data file '/nonexistent/d.jsonl'"))
    }

    @Test(
        "a progress line on stderr when stderr is a terminal (run under script(1) for a pseudo-terminal)",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressOnTerminal() async throws {
        let fixture = try SendFixture(lines: (1...300).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let command = ([CLI.productsDirectory.appendingPathComponent("ferry").path]
            + fixture.arguments(org, ["--apex", "CleverTap/InsertNPSFeedback"])).joined(separator: " ")
        let running = try SendCLI.start(
            ["-qec", command, "/dev/null"], environment: ["FERRY_CLIENT_SECRET": SendCommandTestOrg.secret],
            executable: URL(fileURLWithPath: "/usr/bin/script"))
        defer { running.cleanUp() }
        let status = await running.status()
        let text = running.stdout
        #expect(status == 0, "\(text)")
        // The first redraw happens at once; the line is cleared when the run ends.
        #expect(text.contains("\r\u{1B}[Kferry send: "))
        #expect(text.contains("lines accepted"))
        #expect(text.contains("300 of 300 lines delivered"))
    }

    @Test("--help documents the flags, the report shape, --outbox and the tuning flags")
    func help() async throws {
        let result = try await CLI.run(["send", "--help"])
        #expect(result.status == 0)
        for flag in ["--apex PATH", "--sobject NAME", "--external-id FIELD", "--report FILE", "--outbox DIR",
                     "--retry-base-ms MS", "--retry-max-ms MS", "--cooldown-ms MS", "--lease-ms MS", "--api-reserve-percent P", "--order-by PATH.TO.FIELD", "ORDER_BY_MISSING", "FERRY_CLIENT_SECRET", "\"token_requests\""] {
            #expect(result.stdout.contains(flag), "\(flag)")
        }
        // The tuning flags state the ranges their usage errors enforce.
        for range in ["first retry pause, 1 to 600000", "from --retry-base-ms to 3600000", "probes again, 1 to 3600000",
                      "(default 300000, 100 to 3600000)", "the first included, 1 to 50"] {
            #expect(result.stdout.contains(range), "\(range)")
        }
    }
}
