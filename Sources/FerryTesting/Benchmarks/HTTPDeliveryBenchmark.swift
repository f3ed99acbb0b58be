import Ferry
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The end-to-end HTTP benchmark behind `ferry-bench http` and FerryIntegrations' `ferry-ahc-bench`: the seed's
/// NPS payload rendered for each record, delivered by a `SalesforceExporter` (client-credentials token, Apex REST
/// destination, reply interpretation, report) through the transport under test to a real server, usually the
/// nginx that `.ci/nginx` starts.
///
/// One runner for every transport, so that their figures differ only by the transport. It prints the report's
/// totals, CPU seconds per 1,000 deliveries and, as its last line, `deliveries_per_sec=<number>`.
public enum HTTPDeliveryBenchmark {
    /// What a run needs, from its command line.
    public struct Options: Sendable {
        /// The org (My Domain) URL, e.g. `http://127.0.0.1:8080`.
        public var domain: String
        /// The External Client App's consumer key.
        public var clientID: String
        /// How many records to deliver.
        public var records: Int
        /// The pipeline's concurrency (and the transport's connections per host).
        public var concurrency: Int
    }

    /// The flags both benchmarks take.
    public static let usage = """
        --domain URL --client-id ID [--records N] [--concurrency C]

        Delivers N records (default 20000) through SalesforceExporter with --concurrency C (default 32) to the
        org at --domain: a client-credentials token (secret in FERRY_CLIENT_SECRET), the seed's NPS payload for
        each record, POST /services/apexrest/CleverTap/InsertNPSFeedback, the reply read as an Apex result.
        Start a local org with `.ci/nginx serve` (nginx, prints the URL). Prints CPU seconds per 1,000
        deliveries; the last line is deliveries_per_sec=<number>.
        """

    /// The seed's NPS payload template.
    static let template = #"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#

    /// Parses `--domain`, `--client-id`, `--records` and `--concurrency`.
    /// - Parameter arguments: The command line after the benchmark's name.
    /// - Returns: The options.
    /// - Throws: A message saying which flag is missing or wrong.
    public static func parse(_ arguments: [String]) throws -> Options {
        var options = Options(domain: "", clientID: "", records: 20_000, concurrency: 32)
        var index = 0
        while index < arguments.count {
            guard index + 1 < arguments.count else { throw UsageError("\(arguments[index]) needs a value\n\(usage)") }
            let value = arguments[index + 1]
            switch arguments[index] {
            case "--domain": options.domain = value
            case "--client-id": options.clientID = value
            case "--records":
                guard let n = Int(value), n > 0 else { throw UsageError("--records needs a positive whole number") }
                options.records = n
            case "--concurrency":
                guard let n = Int(value), (1...1024).contains(n) else { throw UsageError("--concurrency needs a whole number from 1 to 1024") }
                options.concurrency = n
            default: throw UsageError("unknown option '\(arguments[index])'\n\(usage)")
            }
            index += 2
        }
        guard !options.domain.isEmpty, !options.clientID.isEmpty else {
            throw UsageError("--domain and --client-id are required\n\(usage)")
        }
        return options
    }

    /// Runs the benchmark through `transport` and prints its figures.
    /// - Parameters:
    ///   - options: The parsed options.
    ///   - transportName: The transport's name for the first line.
    ///   - transport: The transport, its pool sized to `options.concurrency`.
    /// - Returns: The exit status (0 when every record was delivered).
    /// - Throws: A usage error (no secret, a bad domain) or the exporter's configuration errors.
    public static func run(_ options: Options, transportName: String, transport: any HTTPTransport) async throws -> Int32 {
        guard let secret = ProcessInfo.processInfo.environment["FERRY_CLIENT_SECRET"], !secret.isEmpty else {
            throw UsageError("set FERRY_CLIENT_SECRET to the client secret (the nginx org of .ci/nginx accepts any)")
        }
        let exporter = try SalesforceExporter(
            org: .myDomain(options.domain),
            credentials: .clientCredentials(id: options.clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(template), transport: transport,
            configuration: DeliveryPipeline.Configuration(
                concurrency: try PositiveCount(options.concurrency, for: "--concurrency"), batchLinger: .zero))
        print("transport: \(transportName), records: \(options.records), concurrency: \(options.concurrency), org: \(options.domain)")
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = cpuSeconds()
        for record in 0..<options.records {
            let context: JSONValue = [
                "Profile": ["Identity": .string("user-\(record)"), "Email": "jane@example.com"],
                "Event": ["User Rating": .number(JSONNumber(record % 11))],
            ]
            try await exporter.send(context, id: "bench-\(record)")
        }
        let result = await exporter.shutdown()
        let seconds = (clock.now - start).seconds
        let cpu = cpuSeconds() - cpuStart
        let report = result.report
        print("report: total \(report.total), delivered \(report.delivered), failed \(report.failed), api_calls \(report.apiCalls), token_requests \(report.tokenRequests), p50 \(fixed(report.latency?.p50 ?? 0, 2)) ms, p99 \(fixed(report.latency?.p99 ?? 0, 2)) ms")
        if let failure = report.failures.first { print("first failure: \(failure)") }
        print("cpu_seconds_per_1000_deliveries=\(fixed(cpu / Double(options.records) * 1000, 4)) (user+system \(fixed(cpu, 2)) s)")
        print("seconds=\(fixed(seconds, 3))")
        print("deliveries_per_sec=\(fixed(Double(report.delivered) / seconds, 0))")
        return report.delivered == options.records ? 0 : 1
    }

    /// User plus system CPU time of the process so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func fixed(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    /// A mistake on the command line or in the environment: the message says what to fix.
    public struct UsageError: Error, CustomStringConvertible {
        /// What to fix.
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
