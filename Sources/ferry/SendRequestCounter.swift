import Ferry

/// Counts the requests that really leave for the token endpoint, so the report's `token_requests` is the number
/// of token requests sent (the figure Salesforce's login limits count), not the number of tokens used.
final class SendRequestCounter: HTTPTransport {
    let transport: any HTTPTransport
    let count = FerryMutex(0)

    init(_ transport: any HTTPTransport) {
        self.transport = transport
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        count.withLock { $0 += 1 }
        return try await transport.send(request)
    }
}
