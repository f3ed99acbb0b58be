// `ferry-bridge-bench`: what the bridges' wrapping transports cost per request. One process sends the same request
// through an in-process transport that answers at once, bare and wrapped by each bridge, in interleaved rounds
// (so load on the machine falls on every variant alike), and prints ns/request and the ratio to the bare one.
// Build it in release mode:
//   swift run -c release ferry-bridge-bench [--requests 200000] [--rounds 7] [--tasks 1]
import CoreMetrics
import FerryCore
import FerryMetrics
import FerryTracing
import Foundation
import InMemoryTracing
import Synchronization
import Tracing

/// Answers every request at once with the same reply: the cost left is the caller's and the wrappers'.
struct InstantTransport: HTTPTransport {
    let response = HTTPResponse(status: 201, text: #"{"id":"a01","success":true}"#)
    func send(_ request: HTTPRequest) async throws -> HTTPResponse { response }
}

/// A metrics backend shaped like a real one (Prometheus' registry): handlers looked up by label and dimensions
/// under a lock, values kept in atomics.
final class RegistryMetrics: MetricsFactory {
    final class Handler: CounterHandler, FloatingPointCounterHandler, MeterHandler, RecorderHandler, TimerHandler {
        let total = Atomic<Int64>(0)
        let count = Atomic<Int64>(0)
        func increment(by amount: Int64) { total.add(amount, ordering: .relaxed) }
        func increment(by amount: Double) { total.add(Int64(amount), ordering: .relaxed) }
        func decrement(by amount: Double) { total.subtract(Int64(amount), ordering: .relaxed) }
        func reset() { total.store(0, ordering: .relaxed) }
        func set(_ value: Int64) { total.store(value, ordering: .relaxed) }
        func set(_ value: Double) { total.store(Int64(value), ordering: .relaxed) }
        func record(_ value: Int64) { total.add(value, ordering: .relaxed); count.add(1, ordering: .relaxed) }
        func record(_ value: Double) { record(Int64(value)) }
        func recordNanoseconds(_ duration: Int64) { record(duration) }
    }

    private let handlers = Mutex<[String: Handler]>([:])

    private func handler(_ label: String, _ dimensions: [(String, String)]) -> Handler {
        let key = dimensions.reduce(label) { $0 + "|" + $1.0 + "=" + $1.1 }
        return handlers.withLock { handlers in
            if let existing = handlers[key] { return existing }
            let made = Handler()
            handlers[key] = made
            return made
        }
    }

    /// The number of values recorded by every timer: proves the wrapped runs measured each request.
    var timedRequests: Int64 {
        handlers.withLock { handlers in
            handlers.filter { $0.key.contains("request_duration") }.values
                .reduce(0) { $0 + $1.count.load(ordering: .relaxed) }
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler { handler(label, dimensions) }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        handler(label, dimensions)
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { handler(label, dimensions) }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        handler(label, dimensions)
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { handler(label, dimensions) }
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

struct Options {
    var requests = 200_000
    var rounds = 7
    var tasks = 1

    static let usage = "[--requests N (per variant and round, default 200000)] [--rounds R (default 7)] [--tasks T (default 1)]"

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst(), let value = Int(text), value > 0 else {
                throw UsageError(message: "\(flag) needs a positive whole number")
            }
            switch flag {
            case "--requests": requests = value
            case "--rounds": rounds = value
            case "--tasks": tasks = value
            default: throw UsageError(message: "unknown option \(flag)")
            }
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { "\(message); usage: ferry-bridge-bench \(Options.usage)" }
}

/// Sends `count` requests through `transport` from `tasks` tasks at once; returns the elapsed time.
func measure(_ transport: any HTTPTransport, _ request: HTTPRequest, count: Int, tasks: Int) async throws -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for task in 0..<tasks {
            let share = count / tasks + (task < count % tasks ? 1 : 0)
            group.addTask {
                for _ in 0..<share { _ = try await transport.send(request) }
            }
        }
        try await group.waitForAll()
    }
    return clock.now - start
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("USAGE: ferry-bridge-bench " + Options.usage)
    exit(0)
}
do {
    let options = try Options(arguments)
    let request = HTTPRequest(
        method: .post,
        url: URL(string: "https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback")!,   // a literal
        headers: ["Content-Type": "application/json", "Idempotency-Key": "evt-1", "Authorization": "Bearer x"],
        body: Data(#"{"userId":"u-1","npsScore":9}"#.utf8))
    let bare = InstantTransport()
    let registry = RegistryMetrics()
    let inMemory = InMemoryTracer()
    let tracingInMemory = DeliveryTracing(tracer: inMemory)
    tracingInMemory.accepted(itemID: "evt-1", context: ServiceContext.topLevel)
    let metrics = DeliveryMetrics(destination: "NPS", factory: registry)
    let variants: [(name: String, transport: any HTTPTransport)] = [
        ("bare", bare),
        ("metrics, no-op backend", DeliveryMetrics(factory: NOOPMetricsHandler.instance).transport(wrapping: bare)),
        ("metrics, registry backend", metrics.transport(wrapping: bare)),
        ("tracing, no-op tracer", DeliveryTracing(tracer: NoOpTracer()).transport(wrapping: bare)),
        ("tracing, in-memory tracer", tracingInMemory.transport(wrapping: bare)),
        ("tracing + metrics", tracingInMemory.transport(wrapping: metrics.transport(wrapping: bare))),
    ]
    var samples = Array(repeating: [Double](), count: variants.count)
    // One unmeasured round warms caches and the registry's handlers.
    for variant in variants { _ = try await measure(variant.transport, request, count: options.requests / 10, tasks: options.tasks) }
    inMemory.clearAll()
    for _ in 0..<options.rounds {
        for (index, variant) in variants.enumerated() {
            let elapsed = try await measure(variant.transport, request, count: options.requests, tasks: options.tasks)
            let (seconds, attoseconds) = elapsed.components
            samples[index].append((Double(seconds) * 1e18 + Double(attoseconds)) / 1e9 / Double(options.requests))
            inMemory.clearAll()   // finished spans are kept until cleared: keep memory flat between variants
        }
    }
    let medians = samples.map { $0.sorted()[$0.count / 2] }
    print("ferry-bridge-bench: \(options.requests) requests x \(options.rounds) rounds per variant, \(options.tasks) task(s), median of rounds")
    print("variant                         ns/request   x bare   +ns over bare")
    for (index, variant) in variants.enumerated() {
        let figures = String(
            format: "%11.0f %8.2f %15.0f", medians[index], medians[index] / medians[0], medians[index] - medians[0])
        print(variant.name.padding(toLength: 31, withPad: " ", startingAt: 0) + figures)
    }
    print("timed requests recorded by the registry backend: \(registry.timedRequests)")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
