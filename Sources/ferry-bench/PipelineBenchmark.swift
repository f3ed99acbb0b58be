import Foundation
import Ferry

/// `ferry-bench pipeline`: the whole delivery path (render, destination, authorising transport, retry
/// bookkeeping, report) against an in-process transport that answers every request at once.
enum PipelineBenchmark {
    static let help = """
        USAGE: ferry-bench pipeline [--records N] [--chunk N] [--producers N] [--concurrency N]
                                  [--destination apex|collections]

        Renders N contexts (default 1000000) with the CleverTap NPS payload template of
        ../shared/peers/bench_liquid.py (TemplatePayloadRenderer), accepts them in chunks of --chunk items
        (default 1000, send(contentsOf:); 1 uses send(context:renderer:) per record) from --producers concurrent tasks
        (default 1) and delivers them through a
        DeliveryPipeline (default configuration, --concurrency deliverers, default 8) with an ApexRESTDestination
        (or SObjectCollectionsDestination, 200 records per call) and a StaticTokenProvider, over an in-process
        HTTPTransport that answers 200 "Success" (a JSON string) (collections: one success per record) at once.
        Prints resident memory (VmRSS, VmHWM from /proc/self/status) every tenth of the run and the report's
        totals. The last line is deliveries_per_sec=<number>.
        """

    static let template = #"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: "0" }}, "email": "{{ Profile.Email | downcase }}", "tags": [{% for t in Profile.Tags %}"{{ t }}"{% unless forloop.last %},{% endunless %}{% endfor %}]}"#

    static let context: JSONValue = [
        "Profile": [
            "Identity": "user-8c1f2a77-4b1e-4d9a-9f0e-2d6b5a1c3e90", "Name": "Jane Q. Doe",
            "Email": "Jane.Doe@Example.COM", "Phone": "+14155550123", "Gender": "F", "DOB": "1990-04-12",
            "City": "San Francisco", "Country": "US",
            "Tags": ["vip", "newsletter", "beta-tester", "ios", "churn-risk-low"],
            "MSG-email": true, "MSG-push": false, "Total Purchases": 17, "Lifetime Value": 1243.5,
        ],
        "Event": [
            "Name": "NPS Survey Submitted", "User Rating": 9, "Comment": "Great app, checkout could be faster.",
            "Survey Id": "nps-2024-q3", "Platform": "iOS", "App Version": "5.12.1", "ts": 1722945600,
        ],
        "Campaign": ["id": 1722945599, "name": "Q3 NPS follow-up", "type": "webhook"],
    ]

    /// Answers every request at once: `200 "Success"` for Apex, one success per record for collections.
    struct InstantTransport: HTTPTransport {
        /// What an Apex method returning the String `Success` answers: the JSON string `"Success"`.
        let apex = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], text: #""Success""#)
        let collections: Bool

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard collections else { return apex }
            let records = (try? JSONValue(parsing: request.body ?? Data()))?["records"]?.arrayValue?.count ?? 0
            let results = JSONValue.array((0..<records).map { index in
                ["id": .string("a0B5g00000Bench\(index % 10)"), "success": true, "errors": []]
            })
            return HTTPResponse(status: 200, json: results)
        }
    }

    static func run(_ arguments: [String]) async throws -> Int32 {
        var records = 1_000_000
        var chunk = 1000
        var concurrency = 8
        var producers = 1
        var collections = false
        var index = 0
        while index < arguments.count {
            guard index + 1 < arguments.count else { throw BenchError("\(arguments[index]) needs a value\n\(help)") }
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--records":
                guard let n = Int(value), n > 0 else { throw BenchError("--records needs a positive whole number") }
                records = n
            case "--chunk":
                guard let n = Int(value), n > 0 else { throw BenchError("--chunk needs a positive whole number") }
                chunk = n
            case "--producers":
                guard let n = Int(value), n > 0 else { throw BenchError("--producers needs a positive whole number") }
                producers = n
            case "--concurrency":
                guard let n = Int(value), n > 0 else { throw BenchError("--concurrency needs a positive whole number") }
                concurrency = n
            case "--destination":
                guard value == "apex" || value == "collections" else { throw BenchError("--destination must be apex or collections") }
                collections = value == "collections"
            default: throw BenchError("unknown option '\(arguments[index])'\n\(help)")
            }
            index += 2
        }

        let origin = URL(string: "https://bench.my.salesforce.com")!  // a literal URL: cannot fail
        let destination: any Destination =
            if collections {
                SObjectCollectionsDestination(
                    endpoints: SalesforceEndpoints(org: try SalesforceOrg(origin.absoluteString)),
                    object: try APIName("NPS_Feedback__c"))
            } else {
                ApexRESTDestination(url: origin.appendingPathComponent("services/apexrest/CleverTap/InsertNPSFeedback"))
            }
        let renderer = TemplatePayloadRenderer(try PayloadTemplate(template))
        let token = AccessToken(value: "00Dbench!AQ.benchmark-token", issuedAt: Date())
        let pipeline = DeliveryPipeline(
            destination: destination, transport: InstantTransport(collections: collections), tokenProvider: StaticTokenProvider(token),
            origin: origin,
            configuration: DeliveryPipeline.Configuration(concurrency: try PositiveCount(concurrency, for: "--concurrency")))
        let context = self.context

        print("records: \(records), chunk: \(chunk), producers: \(producers), concurrency: \(concurrency), destination: \(collections ? "sObject Collections" : "Apex REST")")
        print("start: \(memoryLine())")
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = cpuSeconds()
        let interval = max(1, records / 10)
        // Producers render and send interleaved shares of the records (record i goes to producer i % producers);
        // producer 0 prints progress for the whole run.
        try await withThrowingTaskGroup(of: Void.self) { [records, chunk, producers] group in
            for producer in 0..<producers {
                group.addTask {
                    var nextReport = interval
                    var pending: [DeliveryItem] = []
                    pending.reserveCapacity(chunk)
                    var record = producer
                    while record < records {
                        if chunk == 1 {
                            try await pipeline.send(context: context, renderer: renderer, id: "rec-\(record)", sequence: record + 1)
                        } else {
                            guard case .payload(let payload) = renderer.render(context) else {
                                throw BenchError("the bench template did not render a payload")
                            }
                            pending.append(DeliveryItem(id: "rec-\(record)", payload: payload, sequence: record + 1))
                            if pending.count == chunk || record + producers >= records {
                                try await pipeline.send(contentsOf: pending)
                                pending.removeAll(keepingCapacity: true)
                            }
                        }
                        record += producers
                        if producer == 0, record >= nextReport {
                            let seconds = (clock.now - start).seconds
                            print("accepted about \(nextReport): \(format(Double(nextReport) / seconds, 0)) records/s so far, \(memoryLine())")
                            nextReport += interval
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let result = await pipeline.shutdown()
        let seconds = (clock.now - start).seconds
        let cpu = cpuSeconds() - cpuStart
        let report = result.report
        print("end: \(memoryLine())")
        print("report: total \(report.total), delivered \(report.delivered), failed \(report.failed), attempts \(report.attempts), api_calls \(report.apiCalls), token_requests \(report.tokenRequests), p50 \(format(report.latency?.p50 ?? 0, 2)) ms, p99 \(format(report.latency?.p99 ?? 0, 2)) ms")
        guard report.delivered == records, report.failed == 0 else {
            throw BenchError("expected \(records) deliveries, got \(report.delivered) (\(report.failed) failed)")
        }
        // CPU time per delivery is steadier than wall time when other processes share the cores.
        print("cpu_us_per_delivery=\(format(cpu / Double(records) * 1e6, 3)) (user+system over \(format(cpu, 2)) s)")
        print("seconds=\(format(seconds, 3)) peak_rss_mib=\(format(Double(memory().peak) / 1024, 1))")
        print("deliveries_per_sec=\(format(Double(records) / seconds, 0))")
        return 0
    }

    /// User plus system CPU time of the process so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resident and peak resident memory in KiB, from `/proc/self/status` (0 where it cannot be read).
    static func memory() -> (resident: Int, peak: Int) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        var resident = 0
        var peak = 0
        for line in status.split(separator: "\n") {
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
            if line.hasPrefix("VmRSS:") { resident = kib }
            if line.hasPrefix("VmHWM:") { peak = kib }
        }
        return (resident, peak)
    }

    static func memoryLine() -> String {
        let (resident, peak) = memory()
        return "rss \(format(Double(resident) / 1024, 1)) MiB, peak \(format(Double(peak) / 1024, 1)) MiB"
    }
}
