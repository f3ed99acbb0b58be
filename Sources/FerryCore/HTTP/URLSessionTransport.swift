import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The default ``HTTPTransport``, over Foundation's `URLSession`.
///
/// Safe by default for talking to Salesforce:
/// - **never follows redirects**: a 3xx is returned as it is. Salesforce endpoints do not redirect; a redirect
///   means a wrong URL, and an `Authorization` header must never travel to another host;
/// - **refuses `http://`** except to loopback hosts, before sending anything (``URLSecurityPolicy``);
/// - **caps response bodies** (16 MiB by default) and fails above the cap instead of buffering without end;
/// - **honours cancellation** of the calling task, and an overall per-request timeout;
/// - sends no cookies and uses no cache.
///
/// Connections are kept alive and reused between requests, at most
/// ``HTTPTransportConfiguration/maximumConnectionsPerHost`` to one host: size it to the concurrency of the pipeline
/// that uses the transport, or requests beyond it wait for a free connection. `URLSession`'s own default is 6, which capped every pipeline
/// at 6 requests in flight whatever its concurrency. Repeated response header fields arrive joined with commas, as
/// `URLSession` reports them.
public final class URLSessionTransport: HTTPTransport {
    /// Timeouts, the body cap and connections per host: the same settings every Ferry transport takes.
    public typealias Configuration = HTTPTransportConfiguration

    /// The configuration the transport was created with.
    public let configuration: Configuration
    private let session: URLSession
    private let delegate: URLSessionTransportDelegate

    /// Creates a transport with its own `URLSession`.
    /// - Parameter configuration: Timeouts and limits.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let delegate = URLSessionTransportDelegate()
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.connectTimeout.seconds
        sessionConfiguration.timeoutIntervalForResource = max(configuration.requestTimeout.seconds, 1) * 2
        sessionConfiguration.httpMaximumConnectionsPerHost = configuration.maximumConnectionsPerHost
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.httpCookieAcceptPolicy = .never
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.delegate = delegate
        self.session = URLSession(configuration: sessionConfiguration, delegate: delegate, delegateQueue: nil)
    }

    deinit {
        // The session holds its delegate strongly; invalidating it breaks that cycle.
        session.finishTasksAndInvalidate()
    }

    /// Sends `request` and returns the response, whatever its status.
    /// - Parameter request: The request to send.
    /// - Returns: The response.
    /// - Throws: ``TransportError`` when no response was received: an insecure or invalid URL (nothing sent), a
    ///   timeout, a refused or lost connection, DNS or TLS failure, a body over the limit, or cancellation.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try URLSecurityPolicy.validate(request.url)
        let redacted = request.redactedURL
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.timeoutInterval = configuration.connectTimeout.seconds
        urlRequest.httpShouldHandleCookies = false
        urlRequest.cachePolicy = .reloadIgnoringLocalCacheData
        for field in request.headers { urlRequest.addValue(field.value, forHTTPHeaderField: field.name) }
        urlRequest.httpBody = request.body

        let task = session.dataTask(with: urlRequest)
        let timeout = request.timeout ?? configuration.requestTimeout
        let limit = configuration.maximumResponseBodySize
        let delegate = self.delegate

        let timer = Task {
            try await Task.sleep(for: timeout)
            delegate.fail(task, with: .timeout)
        }
        defer { timer.cancel() }

        let outcome = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<URLSessionTransportDelegate.Completed, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: TransportError(.cancelled, url: redacted))
                    return
                }
                delegate.register(task, limit: limit, url: redacted, continuation: continuation)
                task.resume()
            }
        } onCancel: {
            delegate.fail(task, with: .cancelled)
        }
        return HTTPResponse(status: outcome.status, headers: outcome.headers, body: outcome.body)
    }
}
