import Foundation
import Ferry

/// `ferry-bench soak`: millions of records through the whole pipeline while the org fails now and then, printing
/// throughput and memory at intervals, to show that a long run neither slows down nor grows.
enum SoakBenchmark {
    static let help = """
        USAGE: ferry-bench soak [--records N] [--interval N] [--concurrency N] [--no-faults]

        Pushes N records (default 5000000) through render (the NPS template of `pipeline`), a DeliveryPipeline
        (in-memory outbox, --concurrency deliverers, default 8), an Apex REST destination and a caching token
        provider, over an in-process org that answers at once but fails on a fixed schedule of its requests:
          every 97th       503 SERVER_UNAVAILABLE            (retried after a short backoff)
          every 10,007th   403 REQUEST_LIMIT_EXCEEDED        (retried after the limit pause)
          every 50,021st   400 REQUIRED_FIELD_MISSING        (failed for good, reported with its reason)
          every 100,003rd  the session expires: 401 INVALID_SESSION_ID until a new token is fetched
          every 250,007th  a burst: it and the next 24 requests answer 503 (the circuit breaker opens)
        Backoffs are scaled down (1 to 20 ms, limit pause 50 ms, circuit cooldown 50 ms) so faults cost the
        pipeline work, not idle minutes. Every --interval records (default N/10) it prints records/s over the
        interval, resident and peak memory, and the report so far. At the end it checks that every record was
        delivered or failed with a reason and that token requests stayed at one per expired session plus one.
        --no-faults runs the same path with an org that never fails: the baseline for what the faults cost.
        The last line is soak_records_per_sec=<number>.
        """

    /// The org's fault schedule, decided by the number of the request.
    struct Schedule: Sendable {
        static let unavailableEvery = 97
        static let limitEvery = 10_007
        static let finalEvery = 50_021
        static let expiryEvery = 100_003
        static let burstEvery = 250_007
        static let burstLength = 25

        enum Fault: Equatable { case unavailable, limit, final, expireSession }

        static func fault(forRequest number: Int) -> Fault? {
            if number % burstEvery < burstLength, number >= burstEvery { return .unavailable }
            if number % expiryEvery == 0 { return .expireSession }
            if number % finalEvery == 0 { return .final }
            if number % limitEvery == 0 { return .limit }
            if number % unavailableEvery == 0 { return .unavailable }
            return nil
        }
    }

    /// An org that answers at once, fails on the schedule, and accepts only the token it issued last.
    final class FaultyOrg: HTTPTransport {
        struct State {
            var requests = 0
            var validToken = ""
            var tokensIssued = 0
            var faults: [String: Int] = [:]
        }
        let state = FerryMutex(State())
        let injectsFaults: Bool
        private let success = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], text: #""Success""#)

        init(injectsFaults: Bool) { self.injectsFaults = injectsFaults }

        /// How many tokens the org issued: the token requests the pipeline made.
        var tokensIssued: Int { state.withLock { $0.tokensIssued } }

        /// Issues a new token and makes it the only valid one.
        func issueToken() -> AccessToken {
            let value = state.withLock { state -> String in
                state.tokensIssued += 1
                state.validToken = "00Dsoak!token-\(state.tokensIssued)"
                return state.validToken
            }
            return AccessToken(value: value, issuedAt: Date())
        }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            let bearer = request.headers["Authorization"].map { String($0.dropFirst("Bearer ".count)) }
            let reply = state.withLock { state -> (status: Int, code: String)? in
                guard bearer == state.validToken else { return (401, "INVALID_SESSION_ID") }
                state.requests += 1
                guard injectsFaults else { return nil }
                switch Schedule.fault(forRequest: state.requests) {
                case nil:
                    return nil
                case .unavailable:
                    state.faults["SERVER_UNAVAILABLE", default: 0] += 1
                    return (503, "SERVER_UNAVAILABLE")
                case .limit:
                    state.faults["REQUEST_LIMIT_EXCEEDED", default: 0] += 1
                    return (403, "REQUEST_LIMIT_EXCEEDED")
                case .final:
                    state.faults["REQUIRED_FIELD_MISSING", default: 0] += 1
                    return (400, "REQUIRED_FIELD_MISSING")
                case .expireSession:
                    state.faults["session expired", default: 0] += 1
                    state.validToken = ""
                    return (401, "INVALID_SESSION_ID")
                }
            }
            guard let reply else { return success }
            let body: JSONValue = [["errorCode": .string(reply.code), "message": "injected by ferry-bench soak"]]
            return HTTPResponse(status: reply.status, json: body)
        }
    }

    static func run(_ arguments: [String]) async throws -> Int32 {
        var records = 5_000_000
        var interval: Int?
        var concurrency = 8
        var injectsFaults = true
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--no-faults" {
                injectsFaults = false
                index += 1
                continue
            }
            guard index + 1 < arguments.count else { throw BenchError("\(arguments[index]) needs a value\n\(help)") }
            guard let number = Int(arguments[index + 1]), number > 0 else {
                throw BenchError("\(arguments[index]) needs a positive whole number")
            }
            switch arguments[index] {
            case "--records": records = number
            case "--interval": interval = number
            case "--concurrency": concurrency = number
            default: throw BenchError("unknown option '\(arguments[index])'\n\(help)")
            }
            index += 2
        }
        let step = interval ?? max(1, records / 10)

        let org = FaultyOrg(injectsFaults: injectsFaults)
        let origin = URL(string: "https://soak.my.salesforce.com")!  // a literal URL: cannot fail
        let tokens = CachingTokenProvider(label: "soak") { org.issueToken() }
        let renderer = TemplatePayloadRenderer(try PayloadTemplate(PipelineBenchmark.template))
        let configuration = DeliveryPipeline.Configuration(
            concurrency: try PositiveCount(concurrency, for: "--concurrency"),
            retryPolicy: ExponentialBackoff(
                base: .milliseconds(1), cap: .milliseconds(20), maximumAttempts: 12, limitPause: .milliseconds(50)),
            circuitBreaker: CircuitBreaker.Configuration(
                failureThreshold: 5, cooldown: .milliseconds(50), maximumCooldown: .milliseconds(200)))
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(
                url: origin.appendingPathComponent("services/apexrest/CleverTap/InsertNPSFeedback")),
            transport: org, tokenProvider: tokens, origin: origin, configuration: configuration)
        print("records: \(records), interval: \(step), concurrency: \(concurrency), faults: \(injectsFaults ? "on" : "off")")
        print("start: \(PipelineBenchmark.memoryLine())")
        let clock = ContinuousClock()
        let start = clock.now
        var intervalStart = start
        var residentAtIntervals: [Int] = []
        var chunk: [DeliveryItem] = []
        chunk.reserveCapacity(1000)
        let context = PipelineBenchmark.context
        for record in 0..<records {
            guard case .payload(let payload) = renderer.render(context) else {
                throw BenchError("the bench template did not render a payload")
            }
            chunk.append(DeliveryItem(id: "soak-\(record)", payload: payload, sequence: record + 1))
            if chunk.count == 1000 || record == records - 1 {
                try await pipeline.send(contentsOf: chunk)
                chunk.removeAll(keepingCapacity: true)
            }
            if (record + 1) % step == 0 {
                let now = clock.now
                let rate = Double(step) / (now - intervalStart).seconds
                intervalStart = now
                let report = pipeline.report
                let memory = PipelineBenchmark.memory()
                residentAtIntervals.append(memory.resident)
                print(
                    "at \(record + 1): \(format(rate, 0)) records/s, rss \(format(Double(memory.resident) / 1024, 1)) MiB, "
                        + "peak \(format(Double(memory.peak) / 1024, 1)) MiB, delivered \(report.delivered), "
                        + "failed \(report.failed), retries \(report.retries), token requests \(org.tokensIssued)")
            }
        }
        let result = await pipeline.shutdown()
        let seconds = (clock.now - start).seconds
        let report = result.report
        let faults = org.state.withLock { $0.faults }
        let expiries = faults["session expired"] ?? 0
        print("end: \(PipelineBenchmark.memoryLine())")
        print("faults injected: " + faults.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        print("report: total \(report.total), delivered \(report.delivered), failed \(report.failed) \(report.failuresByCode), attempts \(report.attempts), retries \(report.retries), token requests \(org.tokensIssued)")
        guard report.delivered + report.failed == records, result.undelivered.isEmpty else {
            throw BenchError("\(records) records, but \(report.delivered) delivered and \(report.failed) failed")
        }
        guard report.failed == faults["REQUIRED_FIELD_MISSING"] ?? 0 else {
            throw BenchError("\(report.failed) failed, but the org refused \(faults["REQUIRED_FIELD_MISSING"] ?? 0) for good")
        }
        guard org.tokensIssued <= expiries + 1 else {
            throw BenchError("\(org.tokensIssued) token requests for \(expiries) expired sessions")
        }
        if let first = residentAtIntervals.first, let last = residentAtIntervals.last {
            print("rss from the first interval to the last: \(format(Double(first) / 1024, 1)) → \(format(Double(last) / 1024, 1)) MiB")
        }
        print("seconds=\(format(seconds, 3)) peak_rss_mib=\(format(Double(PipelineBenchmark.memory().peak) / 1024, 1))")
        print("soak_records_per_sec=\(format(Double(records) / seconds, 0))")
        return 0
    }
}
