/// Timeouts, the response body cap and connections per host of an ``HTTPTransport``: ``URLSessionTransport`` takes
/// it, and so does FerryIntegrations' `AsyncHTTPClientTransport`, so both are configured alike.
public struct HTTPTransportConfiguration: Sendable, Hashable {
    /// How long establishing a connection may take (default 15 s). `URLSession` has no separate connect-phase
    /// timer, so ``URLSessionTransport`` applies it to any silence on the connection, including while it is being
    /// established.
    public var connectTimeout: Duration
    /// The longest a whole request may take, from sending to the last byte of the response (default 60 s).
    /// A request's own ``HTTPRequest/timeout`` overrides it.
    public var requestTimeout: Duration
    /// The largest response body accepted, in bytes (default 16 MiB), whether its length is declared or it is
    /// chunked. Salesforce REST replies are at most 6 MB for Apex.
    public var maximumResponseBodySize: Int
    /// The most connections open to one host at once, and so the most requests in flight to it (default 8,
    /// the pipeline's default concurrency; at least 1). Set it to the pipeline's concurrency: more requests
    /// than this wait for a free connection. (A transport over a client the host owns uses that client's pool.)
    public var maximumConnectionsPerHost: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - connectTimeout: How long establishing a connection may take (default 15 s).
    ///   - requestTimeout: The longest a whole request may take (default 60 s).
    ///   - maximumResponseBodySize: The largest response body accepted, in bytes (default 16 MiB).
    ///   - maximumConnectionsPerHost: The most connections to one host at once (default 8; at least 1): the
    ///     concurrency of the pipeline that uses the transport.
    public init(
        connectTimeout: Duration = .seconds(15),
        requestTimeout: Duration = .seconds(60),
        maximumResponseBodySize: Int = 16 * 1024 * 1024,
        maximumConnectionsPerHost: Int = 8
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maximumResponseBodySize = maximumResponseBodySize
        self.maximumConnectionsPerHost = max(1, maximumConnectionsPerHost)
    }
}
