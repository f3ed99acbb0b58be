import Ferry
import FerryTesting

/// `ferry-bench http`: the end-to-end HTTP benchmark over `URLSessionTransport`, its connections per host sized to
/// the concurrency (FerryIntegrations' `ferry-ahc-bench` runs the same benchmark over AsyncHTTPClient).
enum HTTPBenchmark {
    static func run(_ arguments: [String]) async throws -> Int32 {
        let options = try HTTPDeliveryBenchmark.parse(arguments)
        let transport = URLSessionTransport(
            configuration: URLSessionTransport.Configuration(maximumConnectionsPerHost: options.concurrency))
        return try await HTTPDeliveryBenchmark.run(options, transportName: "URLSessionTransport", transport: transport)
    }
}
