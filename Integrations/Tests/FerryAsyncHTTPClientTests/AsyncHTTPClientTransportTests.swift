import AsyncHTTPClient
import FerryAsyncHTTPClient
import FerryCore
import FerryTesting
import Testing

/// AsyncHTTPClientTransport through FerryTesting's conformance suite, both with a client it owns and over a
/// host's own `HTTPClient`.
@Suite("AsyncHTTPClientTransport conformance")
struct AsyncHTTPClientTransportTests {
    static func configuration(_ settings: TransportConformance.Settings) -> AsyncHTTPClientTransport.Configuration {
        AsyncHTTPClientTransport.Configuration(
            requestTimeout: settings.requestTimeout, maximumResponseBodySize: settings.maximumResponseBodySize,
            maximumConnectionsPerHost: settings.concurrency)
    }

    static let owned = TransportConformance(
        shutdown: { transport in try await (transport as? AsyncHTTPClientTransport)?.shutdown() },
        makeTransport: { settings in AsyncHTTPClientTransport(configuration: configuration(settings)) })

    /// The host owns the client (built from the transport's recommended configuration) and shuts it down.
    static let hosted = TransportConformance(
        shutdown: { transport in try await (transport as? AsyncHTTPClientTransport)?.client.shutdown() },
        makeTransport: { settings in
            let configuration = configuration(settings)
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: AsyncHTTPClientTransport.makeClientConfiguration(configuration))
            return AsyncHTTPClientTransport(client: client, configuration: configuration)
        })

    @Test("with a client it owns", arguments: TransportConformance.checks)
    func ownedClient(_ check: TransportConformance.Check) async throws {
        try await Self.owned.run(check)
    }

    @Test("over a host's HTTPClient", arguments: TransportConformance.checks)
    func hostClient(_ check: TransportConformance.Check) async throws {
        try await Self.hosted.run(check)
    }

    @Test("connections per host are at least 1")
    func connectionsPerHost() {
        #expect(AsyncHTTPClientTransport.Configuration().maximumConnectionsPerHost == 8)
        #expect(AsyncHTTPClientTransport.Configuration(maximumConnectionsPerHost: -3).maximumConnectionsPerHost == 1)
    }
}
