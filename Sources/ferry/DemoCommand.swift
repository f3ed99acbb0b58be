import Ferry
import FerryTesting
import Foundation

/// `ferry demo`: the seed's NPS export end to end against a simulated org, with a few bad profiles and a few
/// faults, and a report a person can read. No network, no account, no configuration.
enum DemoCommand: Command {
    static let name = "demo"
    static let summary = "Run the NPS export end to end against a simulated org (no account needed)."
    static let help = """
        USAGE: ferry demo

        Exports 16 sample NPS responses to a simulated Salesforce org the way the seed's integration does (an
        External Client App token, the InsertNPSFeedback Apex class in the CleverTap namespace, a Liquid JSON
        payload) while the org misbehaves: every 4th Apex call answers 503, two calls hit a row lock, and every
        session expires halfway through. Some profiles are bad on purpose: quotes and newlines in names (the
        payload stays valid JSON), responses without a rating (the template aborts them), and a rating that is
        not a number (the Apex class answers 200 "Error: ..."). Prints each outcome as it happens and a report:
        what was delivered, what was retried and why, what failed and what to do.

        EXIT STATUS: 0 (the demo ran; failures shown are part of it).
        """

    static let template = #"""
        {% if Event["User Rating"] == nil %}{% abort "no rating given" %}{% endif %}
        {"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] }},
         "timestamp": "{{ Event.Timestamp | date: "%Y-%m-%dT%H:%M:%S" }}"}
        """#

    /// Sample responses: (name, identity, rating). `nil` rating: no answer; a string rating: bad data.
    static let samples: [(String, String, JSONValue)] = [
        ("Jane Q. Doe", "user-1001", 10), ("Ravi \"RJ\" Kumar", "user-1002", 9), ("Ana María López", "user-1003", 8),
        ("Chen Wei", "user-1004", 7), ("Line\nBreak Larsen", "user-1005", 9), ("Kim Park", "user-1006", nil),
        ("Fatima Zahra", "user-1007", 6), ("O'Brien, Sean", "user-1008", 10), ("Omar \\ Haddad", "user-1009", "nine"),
        ("Yuki 🌸 Tanaka", "user-1010", 5), ("Lena Fischer", "user-1011", 9), ("Tom Anders", "user-1012", nil),
        ("Priya Singh", "user-1013", 3), ("Lucas Martin", "user-1014", 10), ("Sofia Rossi", "user-1015", 8),
        ("Noah Smith", "user-1016", 9),
    ]

    static func run(_ arguments: [String]) async -> Int32 {
        guard arguments.isEmpty else {
            Console.err("error: ferry demo takes no arguments\nRun 'ferry demo --help' for what it does.\n")
            return ExitStatus.usage
        }
        do {
            try await demo()
            return ExitStatus.success
        } catch {
            Console.err("error: the demo could not run: \(error)\n")
            return ExitStatus.failure
        }
    }

    static func demo() async throws {
        let org = SimulatedSalesforceOrg()
        org.register(.insertNPSFeedback(namespace: "CleverTap"), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        org.inject(.everyNthCall(4, .serverUnavailable, on: .apexREST))
        org.inject(.sequence([nil, nil, .unableToLockRow, nil, nil, nil, .unableToLockRow], on: .apexREST))
        let client = SimulatedClient.example

        Console.out("""
            Ferry demo: the seed's NPS export into a simulated Salesforce org (no network, no account)
              org          \(org.org.baseURL.absoluteString)
              endpoint     /services/apexrest/CleverTap/InsertNPSFeedback (the seed's Apex class)
              faults       every 4th Apex call answers 503; two calls hit UNABLE_TO_LOCK_ROW; sessions expire halfway

            """)

        let names = Dictionary(uniqueKeysWithValues: samples.enumerated().map { ("line-\($0.offset + 1)", $0.element.0) })
        let printer = DemoPrinter(names: names)
        var configuration = DeliveryPipeline.Configuration(
            concurrency: 4,
            retryPolicy: ExponentialBackoff(base: .milliseconds(40), cap: .milliseconds(300), maximumAttempts: 6),
            circuitBreaker: .init(failureThreshold: 6, cooldown: .milliseconds(200)),
            outcomeHandler: { printer.outcome($0) })
        configuration.batchLinger = .zero
        let exporter = try SalesforceExporter(
            org: org.org,
            credentials: .clientCredentials(id: client.id, secret: client.secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(template),
            transport: org, configuration: configuration)
        // Fetch the token first (as `ferry check` would), so the session exists before the org expires it.
        _ = try await exporter.tokenProvider.token()
        let events = exporter.events()
        let watcher = Task {
            for await event in events { printer.event(event) }
        }

        for (index, sample) in samples.enumerated() {
            if index == samples.count / 2 {
                org.expireAllSessions()
                printer.note("(the org expires every session now; the next request gets 401 INVALID_SESSION_ID)")
            }
            var event: JSONObject = ["Timestamp": .string("$D_\(1_764_400_000 + index * 60)")]
            if sample.2 != .null { event["User Rating"] = sample.2 }
            let context: JSONValue = ["Profile": ["Name": .string(sample.0), "Identity": .string(sample.1)], "Event": .object(event)]
            try await exporter.send(context, id: "line-\(index + 1)")
        }
        let result = await exporter.shutdown(within: .seconds(30))
        await watcher.value  // shutdown ends the event stream; print what is left of it first
        let stored = org.records(of: "CleverTap__CleverTap_NPS__c")
        Console.out(summary(result.report, stored: stored, names: names, org: org))
    }

    static func summary(
        _ report: DeliveryReport, stored: [SimulatedRecord], names: [String: String], org: SimulatedSalesforceOrg
    ) -> String {
        let ids = stored.compactMap { $0["CleverTap__userId__c"]?.stringValue }
        var text = "\nReport\n"
        text += "  \(report.delivered) delivered, \(report.failed) failed, \(report.aborted) aborted by the template (\(report.total) responses)\n"
        text += "  \(report.attempts) attempts (\(report.retries) retries), \(report.tokenRequests) token requests, \(report.apiCalls) API calls"
        if let usage = report.apiUsage?.apiUsage { text += ", org API usage \(usage.used)/\(usage.limit)" }
        text += "\n"
        if let latency = report.latency {
            text += "  latency from send to delivery: p50 \(Int(latency.p50)) ms, p95 \(Int(latency.p95)) ms, max \(Int(latency.max)) ms\n"
        }
        text += "  the org stored \(stored.count) records for \(Set(ids).count) users: \(stored.count == Set(ids).count ? "no duplicates" : "DUPLICATES")\n"
        text += "  faults the org injected: \(org.counters.faultsByKind.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))\n"
        if !report.failures.isEmpty {
            text += "\nWhat failed, and what to do\n"
            for failure in report.failures {
                let name = names[failure.itemID] ?? failure.itemID
                text += "  \(failure.itemID) (\(name.replacingOccurrences(of: "\n", with: " "))): \(failure.failure?.errorCode ?? "?")\n"
                text += "    \(failure.failure?.message ?? "")\n"
            }
            text += "    The seed's Apex class catches every exception and answers 200 \"Error: ...\", so a plain webhook\n"
            text += "    counts this as delivered. Generate a class that answers 400 with JSON: ferry apex --help\n"
        }
        text += "\nEvery response ended delivered, failed with its reason, or aborted: nothing was dropped.\n"
        return text
    }
}

/// Prints outcomes and events as they happen, one line each, from any task.
final class DemoPrinter: Sendable {
    let names: [String: String]
    private let lock = FerryMutex(())

    init(names: [String: String]) {
        self.names = names
    }

    func label(_ id: String) -> String {
        let name = (names[id] ?? "").replacingOccurrences(of: "\n", with: "⏎")
        return "\(id.padding(toLength: 8, withPad: " ", startingAt: 0)) \(name.padding(toLength: 20, withPad: " ", startingAt: 0))"
    }

    func outcome(_ outcome: DeliveryOutcome) {
        let line: String
        switch outcome.status {
        case .delivered:
            line = "  ✔ \(label(outcome.itemID)) delivered after \(outcome.attempts) attempt\(outcome.attempts == 1 ? "" : "s")"
        case .failed:
            line = "  ✘ \(label(outcome.itemID)) failed: \(outcome.failure?.errorCode ?? "?")"
        case .aborted:
            line = "  – \(label(outcome.itemID)) not sent: \(outcome.abortReason ?? "aborted by the template")"
        }
        print(line)
    }

    func event(_ event: DeliveryEvent) {
        switch event.kind {
        case .retryScheduled:
            let id = event.itemID ?? "?"
            let attempt = event.attempt ?? 0
            let delay = event.delay ?? .zero
            print("  ↻ \(label(id)) attempt \(attempt) got \(event.errorCode ?? "?")\(event.status.map { " (HTTP \($0))" } ?? ""); retrying in \(Int(delay.seconds * 1000)) ms")
        case .sessionExpired:
            print("  ⟳ session expired (HTTP 401): token discarded, a new one fetched, the request replayed once")
        case .circuitOpened:
            let until = event.until ?? event.date
            print("  ⏸ too many failures in a row: pausing the destination until \(until.formatted(.iso8601.time(includingFractionalSeconds: true)))")
        case .circuitClosed:
            print("  ▶ probe succeeded: delivery resumes")
        default:
            break
        }
    }

    func note(_ text: String) { print("  \(text)") }

    private func print(_ line: String) {
        lock.withLock { _ in Console.out(line + "\n") }
    }
}
