import FerryTesting
import Testing

@Suite("HTTPDeliveryBenchmark's command line")
struct HTTPDeliveryBenchmarkTests {
    @Test("flags are read, with defaults for records and concurrency")
    func parses() throws {
        let options = try HTTPDeliveryBenchmark.parse(["--domain", "http://127.0.0.1:8080", "--client-id", "bench", "--records", "500"])
        #expect(options.domain == "http://127.0.0.1:8080")
        #expect(options.clientID == "bench")
        #expect(options.records == 500)
        #expect(options.concurrency == 32)
    }

    @Test(
        "mistakes say what to fix",
        arguments: [
            (["--domain", "http://127.0.0.1:1"], "--domain and --client-id are required"),
            (["--domain", "http://127.0.0.1:1", "--client-id", "b", "--records", "0"], "--records needs a positive whole number"),
            (["--domain", "http://127.0.0.1:1", "--client-id", "b", "--concurrency", "2000"], "--concurrency needs a whole number from 1 to 1024"),
            (["--domain"], "--domain needs a value"),
            (["--speed", "9"], "unknown option '--speed'"),
        ])
    func mistakes(arguments: [String], message: String) {
        let error = #expect(throws: HTTPDeliveryBenchmark.UsageError.self) { try HTTPDeliveryBenchmark.parse(arguments) }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "no error")")
    }
}
