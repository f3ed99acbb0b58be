// `ferry-bench`: performance measurements of the SDK, always printed beside a named peer measured in the same run.
// Build and run in release mode: swift run -c release ferry-bench <benchmark>
import Foundation
import FerryTesting

let usage = """
    USAGE: ferry-bench <benchmark> [options]

    BENCHMARKS:
      json      JSONValue parse/serialise vs Foundation's JSONSerialization
      records   Salesforce date-times vs ISO8601DateFormatter, record mapping, Bulk CSV parsing
      render    Liquid parse time and renders per second (compare with ../shared/peers/bench_liquid.py)
      outbox    FileOutbox durable enqueue throughput (group commit, no fsync) and recovery time
      pipeline  Deliveries per second through render, DeliveryPipeline and an instant in-process transport
      http      Deliveries per second end to end over URLSessionTransport to a real server (.ci/nginx)
      soak      5,000,000 records through the pipeline with intermittent faults; memory at intervals

    Always use a release build: swift run -c release ferry-bench <benchmark>
    """

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "json":
        if arguments.contains("--help") { print(JSONBenchmark.help); exit(0) }
        exit(try JSONBenchmark.run(Array(arguments.dropFirst())))
    case "records":
        if arguments.contains("--help") { print(RecordsBenchmark.help); exit(0) }
        exit(try RecordsBenchmark.run(Array(arguments.dropFirst())))
    case "render":
        if arguments.contains("--help") { print(RenderBenchmark.help); exit(0) }
        exit(try RenderBenchmark.run(Array(arguments.dropFirst())))
    case "outbox":
        if arguments.contains("--help") { print(OutboxBenchmark.help); exit(0) }
        exit(try await OutboxBenchmark.run(Array(arguments.dropFirst())))
    case "pipeline":
        if arguments.contains("--help") { print(PipelineBenchmark.help); exit(0) }
        exit(try await PipelineBenchmark.run(Array(arguments.dropFirst())))
    case "http":
        if arguments.contains("--help") { print("USAGE: ferry-bench http " + HTTPDeliveryBenchmark.usage); exit(0) }
        exit(try await HTTPBenchmark.run(Array(arguments.dropFirst())))
    case "soak":
        if arguments.contains("--help") { print(SoakBenchmark.help); exit(0) }
        exit(try await SoakBenchmark.run(Array(arguments.dropFirst())))
    case "--help", "-h":
        print(usage)
        exit(0)
    default:
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
