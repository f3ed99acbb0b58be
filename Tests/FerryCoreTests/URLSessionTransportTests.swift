import Foundation
import FerryCore
import FerryTesting
import Testing

/// URLSessionTransport through the conformance suite FerryTesting ships: the same checks a host runs against its
/// own transport, over real loopback sockets.
@Suite("URLSessionTransport conformance")
struct URLSessionTransportTests {
    static let conformance = TransportConformance { settings in
        URLSessionTransport(configuration: URLSessionTransport.Configuration(
            requestTimeout: settings.requestTimeout, maximumResponseBodySize: settings.maximumResponseBodySize,
            maximumConnectionsPerHost: settings.concurrency))
    }

    @Test(arguments: TransportConformance.checks)
    func conforms(_ check: TransportConformance.Check) async throws {
        try await Self.conformance.run(check)
    }

    @Test("connections per host default to the pipeline's default concurrency and are at least 1")
    func connectionsPerHost() {
        #expect(URLSessionTransport.Configuration().maximumConnectionsPerHost == 8)
        #expect(URLSessionTransport.Configuration(maximumConnectionsPerHost: 0).maximumConnectionsPerHost == 1)
    }
}

@Suite("URLSecurityPolicy")
struct URLSecurityPolicyTests {
    @Test("loopback hosts", arguments: ["localhost", "127.0.0.1", "127.255.0.9", "::1", "[::1]", "LOCALHOST", "api.localhost"])
    func loopback(host: String) {
        #expect(URLSecurityPolicy.isLoopback(host: host))
    }

    @Test("hosts that are not loopback", arguments: ["acme.my.salesforce.com", "128.0.0.1", "127.0.0", "127.0.0.256", "localhost.evil.com", "::2", "0.0.0.0"])
    func notLoopback(host: String) {
        #expect(!URLSecurityPolicy.isLoopback(host: host))
    }

    @Test("https anywhere and http to loopback pass")
    func allowed() throws {
        try URLSecurityPolicy.validate(URL(string: "https://acme.my.salesforce.com/x")!)
        try URLSecurityPolicy.validate(URL(string: "http://127.0.0.1:8080/x")!)
        try URLSecurityPolicy.validate(URL(string: "http://localhost/x")!)
    }

    @Test("errors never show a URL's query")
    func queryRedacted() {
        let error = #expect(throws: TransportError.self) {
            try URLSecurityPolicy.validate(URL(string: "http://example.com/x?access_token=00Dxx!secret")!)
        }
        #expect(error?.description.contains("secret") == false)
        #expect(error?.url == "http://example.com/x?…")
    }
}
