import AsyncHTTPClient
import Ferry
import FerryAsyncHTTPClient
import Foundation

// The `// FerryAsyncHTTPClient` samples of README.md and Documentation/Core.md, compiled here
// (TransportDocumentationTests checks that every such sample appears in this file line for line, and runs them
// against a simulated org on loopback).
enum TransportSnippets {
    /// README.md and Core.md: the exporter over a transport that owns its client.
    static func ownClient(clientID: String, secret: String, org: String) async throws -> DeliveryReport {
        // FerryAsyncHTTPClient
        let transport = AsyncHTTPClientTransport(configuration: .init(maximumConnectionsPerHost: 32))
        let exporter = try SalesforceExporter(
            org: .myDomain(org),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#),
            transport: transport,
            configuration: .init(concurrency: 32))   // the same number: one connection per request in flight
        try await exporter.send(["Profile": ["Identity": "u-1"], "Event": ["User Rating": 9]])
        let result = await exporter.shutdown()
        try await transport.shutdown()               // the transport's own client; a host's is left alone
        return result.report
    }

    /// Core.md: over the HTTPClient a Vapor or Hummingbird application already has.
    static func hostClient(clientID: String, secret: String, org: String) async throws -> DeliveryReport {
        // FerryAsyncHTTPClient
        let settings = AsyncHTTPClientTransport.Configuration(maximumConnectionsPerHost: 16)
        // A client for Ferry: redirects refused, 16 connections per host (or your own, set up the same way).
        let httpClient = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: AsyncHTTPClientTransport.makeClientConfiguration(settings))
        let exporter = try SalesforceExporter(
            org: .myDomain(org),
            credentials: .clientCredentials(id: clientID, secret: secret),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#),
            transport: AsyncHTTPClientTransport(client: httpClient, configuration: settings),
            configuration: .init(concurrency: 16))
        try await exporter.send(["Profile": ["Identity": "u-2"], "Event": ["User Rating": 7]])
        let result = await exporter.shutdown()
        try await httpClient.shutdown()              // the host shuts its own client down
        return result.report
    }
}
