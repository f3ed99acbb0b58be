import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOHTTP1

/// An ``/FerryCore/HTTPTransport`` over AsyncHTTPClient: the HTTP client that server-side Swift applications (Vapor,
/// Hummingbird, gRPC) already run on swift-nio, and the fastest transport Ferry has on Linux.
///
/// It follows the same rules as `URLSessionTransport`:
/// - **never follows redirects**: a 3xx is returned as it is;
/// - **refuses `http://`** except to loopback hosts, before sending anything (`URLSecurityPolicy`);
/// - **caps response bodies** (16 MiB by default), whether the length is declared or the body is chunked;
/// - a **connect timeout** and an **overall request timeout** (a request's own `timeout` overrides it);
/// - **honours cancellation** of the calling task;
/// - fails with `TransportError` of the same kinds, so the pipeline's retry decisions do not depend on the
///   transport.
///
/// Either the transport owns its client (``init(configuration:)``: its pool holds
/// `maximumConnectionsPerHost` connections per host; call ``shutdown()`` when done), or it uses
/// the host's (``init(client:configuration:)``). A host's client must not follow redirects and its pool should
/// allow as many connections per host as the pipeline's concurrency:
/// ``makeClientConfiguration(_:)`` builds such a configuration.
///
/// ```swift
/// let transport = AsyncHTTPClientTransport(configuration: .init(maximumConnectionsPerHost: 32))
/// let exporter = try SalesforceExporter(
///     org: .myDomain("https://acme.my.salesforce.com"),
///     credentials: .clientCredentials(id: clientID, secret: secret),
///     destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
///     payload: .json(template), transport: transport, configuration: .init(concurrency: 32))
/// // ... send, then:
/// _ = await exporter.shutdown()
/// try await transport.shutdown()
/// ```
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// Timeouts, the body cap and connections per host, as `URLSessionTransport` takes them.
    public typealias Configuration = HTTPTransportConfiguration

    /// The configuration the transport was created with.
    public let configuration: Configuration
    /// The client requests go through (the host's, or the transport's own).
    public let client: HTTPClient
    private let ownsClient: Bool

    /// Creates a transport with its own `HTTPClient` on swift-nio's shared event loop group.
    /// - Parameter configuration: Timeouts, body cap and connections per host.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var clientConfiguration = Self.makeClientConfiguration(configuration)
        // Fail a request at once when its connection cannot be made: the pipeline's retry policy and circuit
        // breaker decide what happens next, with backoff, instead of the pool retrying silently until the deadline.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        ownsClient = true
    }

    /// Creates a transport over the host's client, which it never shuts down.
    ///
    /// The client must be configured not to follow redirects (AsyncHTTPClient has no per-request setting, and a
    /// followed redirect would carry the bearer token elsewhere); build its configuration with
    /// ``makeClientConfiguration(_:)`` or set `redirectConfiguration = .disallow` yourself.
    /// - Parameters:
    ///   - client: The host's client.
    ///   - configuration: The body cap and timeouts this transport applies per request
    ///     (`maximumConnectionsPerHost` is the client's business then).
    public init(client: HTTPClient, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.client = client
        ownsClient = false
    }

    /// An `HTTPClient` configuration that suits Ferry: redirects not followed, the connect timeout, a pool of
    /// `maximumConnectionsPerHost` connections per host, no decompression.
    /// - Parameter configuration: The transport configuration.
    /// - Returns: The client configuration.
    public static func makeClientConfiguration(_ configuration: Configuration) -> HTTPClient.Configuration {
        var clientConfiguration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: HTTPClient.Configuration.Timeout(connect: TimeAmount(configuration.connectTimeout)),
            decompression: .disabled)
        clientConfiguration.connectionPool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(60),
            concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maximumConnectionsPerHost)
        return clientConfiguration
    }

    /// Shuts the transport's own client down (waiting for requests in flight); does nothing to a host's client.
    /// - Throws: What `HTTPClient.shutdown()` throws.
    public func shutdown() async throws {
        guard ownsClient else { return }
        try await client.shutdown()
    }

    /// Sends `request` and returns the response, whatever its status.
    /// - Parameter request: The request to send.
    /// - Returns: The response.
    /// - Throws: `TransportError` when no response was received: an insecure or invalid URL (nothing sent), a
    ///   timeout, a refused or lost connection, DNS or TLS failure, a body over the limit, or cancellation.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try URLSecurityPolicy.validate(request.url)
        let redacted = request.redactedURL
        if Task.isCancelled { throw TransportError(.cancelled, url: redacted) }

        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue)
        outgoing.headers.reserveCapacity(request.headers.count + 1)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }

        let timeout = request.timeout ?? configuration.requestTimeout
        let limit = configuration.maximumResponseBodySize
        do {
            let response = try await client.execute(outgoing, deadline: .now() + TimeAmount(timeout))
            if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > limit {
                throw TransportError(.bodyTooLarge, url: redacted, detail: "Content-Length \(declared)")
            }
            let body = try await response.body.collect(upTo: limit)
            var headers = FerryCore.HTTPHeaders()
            for field in response.headers { headers.add(name: field.name, value: field.value) }
            return HTTPResponse(
                status: Int(response.status.code), headers: headers,
                body: body.readableBytes == 0 ? Data() : Data(body.readableBytesView))
        } catch let error as TransportError {
            throw error
        } catch {
            throw Self.map(error, url: redacted, cancelled: Task.isCancelled)
        }
    }
}
