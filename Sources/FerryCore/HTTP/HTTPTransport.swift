/// Sends one HTTP request and returns its response: the seam through which every byte Ferry sends passes.
///
/// Ferry ships ``URLSessionTransport``; host applications can bring their own (an AsyncHTTPClient adapter, a
/// transport with metrics or tracing) and tests inject a mock:
///
/// ```swift
/// struct RecordingTransport: HTTPTransport {
///     let reply: @Sendable (HTTPRequest) async throws -> HTTPResponse
///     func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await reply(request) }
/// }
/// ```
///
/// A transport returns every HTTP response it receives, whatever its status (a 3xx, 4xx or 5xx is a response,
/// not an error), and throws only when no response arrived; throwing a ``TransportError`` lets callers tell
/// whether a retry can help.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response.
    /// - Parameter request: The request to send.
    /// - Returns: The response, whatever its status.
    /// - Throws: ``TransportError`` (or `CancellationError`) when no response was received.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
