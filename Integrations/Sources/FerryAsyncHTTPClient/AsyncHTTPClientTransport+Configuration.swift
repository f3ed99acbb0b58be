extension AsyncHTTPClientTransport {
    /// Timeouts, limits and pool size of an ``AsyncHTTPClientTransport``.
    public struct Configuration: Sendable, Hashable {
        /// How long establishing a connection (TCP and TLS) may take (default 15 s).
        public var connectTimeout: Duration
        /// The longest a whole request may take, from sending to the last byte of the response (default 60 s).
        /// A request's own `timeout` overrides it.
        public var requestTimeout: Duration
        /// The largest response body accepted, in bytes (default 16 MiB).
        public var maximumResponseBodySize: Int
        /// The connections per host of the transport's own client (default 8, the pipeline's default
        /// concurrency; at least 1): set it to the pipeline's concurrency.
        public var maximumConnectionsPerHost: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - connectTimeout: How long establishing a connection may take (default 15 s).
        ///   - requestTimeout: The longest a whole request may take (default 60 s).
        ///   - maximumResponseBodySize: The largest response body accepted, in bytes (default 16 MiB).
        ///   - maximumConnectionsPerHost: Connections per host of the transport's own client (default 8).
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
}
