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
    /// Token replies still name the org's configured origin in `instance_url`; Ferry's clients call the org URL
    /// they were given, so they are not affected.
    /// - Returns: The running server; call `stop()` when done.
    /// - Throws: `POSIXError` when the socket cannot be opened.
    public func serveOnLoopback() throws -> LoopbackHTTPServer {
        let base = configuration.org.baseURL
        return try LoopbackHTTPServer { [self] request in
            var forwarded = request
            if var components = URLComponents(url: request.url, resolvingAgainstBaseURL: false) {
                components.scheme = base.scheme
                components.host = base.host
                components.port = base.port
                forwarded.url = components.url ?? request.url
            }
            do {
                return .response(try await send(forwarded))
            } catch {
                return .close
            }
        }
    }
}
