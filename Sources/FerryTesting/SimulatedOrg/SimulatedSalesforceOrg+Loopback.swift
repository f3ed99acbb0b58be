import FerryCore
import Foundation

extension SimulatedSalesforceOrg {
    /// Serves this org on a real socket, for code that only takes a URL (a CLI run, `URLSessionTransport`, another
    /// process): every request to the returned server is answered by the org as if it had been sent to the org's
    /// own origin.
    ///
    /// ```swift
    /// let org = SimulatedSalesforceOrg()
    /// let server = try org.serveOnLoopback()
    /// defer { server.stop() }
    /// // point the code under test at server.baseURL (http://127.0.0.1:<port>)
    /// ```
    ///
    /// Transport-level faults go on the wire as such: a ``SimulatedFault/truncatedBody(chunked:)`` is cut off
    /// mid-body and the connection closed, a chunked ``SimulatedFault/oversizedReply(bytes:chunked:)`` is sent
    /// without a `Content-Length`, and ``SimulatedFault/latency(_:)`` holds the connection silent.
    ///
    /// Token replies still name the org's configured origin in `instance_url`; Ferry's clients call the org URL
    /// they were given, so they are not affected.
    /// - Returns: The running server; call `stop()` when done.
    /// - Throws: `POSIXError` when the socket cannot be opened.
    public func serveOnLoopback() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { [self] request in
            let forwarded = readdressed(request)
            do {
                let (response, fault) = try await answer(forwarded)
                switch fault?.code {
                case .truncatedBody(let chunked)?:
                    return .raw(
                        chunked
                            ? LoopbackSocket.encodeChunked(response, truncatedAfter: response.body.count / 2)
                            : LoopbackSocket.encodeTruncated(response))
                case .oversizedReply(_, let chunked)? where chunked:
                    return .raw(LoopbackSocket.encodeChunked(response))
                default:
                    return .response(response)
                }
            } catch {
                return .close
            }
        }
    }

    /// The request addressed to this org's own origin (scheme, host and port), path and query kept: the org answers
    /// only requests for its configured My Domain, so a server that fronts it on another address forwards through
    /// this.
    /// - Parameter request: A request as received, on any address.
    /// - Returns: The same request, addressed to the org.
    public func readdressed(_ request: HTTPRequest) -> HTTPRequest {
        let base = configuration.org.baseURL
        var forwarded = request
        if var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) {
            components.scheme = base.scheme
            components.host = base.host
            components.port = base.port
            forwarded.url = components.url ?? request.url
        }
        return forwarded
    }
}
