import FerryCore
import Foundation

extension TransportConformance {
    /// Every check, in a stable order.
    public static let checks: [Check] = [
        Check(name: "statuses, headers and bodies arrive as the server sent them", body: statuses),
        Check(name: "method, path, query, headers and body reach the server intact", body: requestIntact),
        Check(name: "a 1 MiB body arrives whole, declared or chunked", body: largeBodies),
        Check(name: "a body over the cap fails with bodyTooLarge, declared or chunked; one at the cap arrives", body: bodyCap),
        Check(name: "sequential requests reuse one kept-alive connection", body: keepAlive),
        Check(name: "a redirect is returned as it is and never followed", body: redirectNotFollowed),
        Check(name: "a server that never answers times out with a retryable timeout", body: timeout),
        Check(name: "a request's own timeout overrides the transport's", body: perRequestTimeout),
        Check(name: "a refused connection is connectionRefused, retryable", body: connectionRefused),
        Check(name: "a connection closed without an answer is lost (or refused), retryable", body: droppedConnection),
        Check(name: "a truncated body, declared or chunked, is connectionLost, retryable", body: truncatedBody),
        Check(name: "a task cancelled before sending sends nothing", body: cancelledBeforeSending),
        Check(name: "cancelling the calling task ends a request in flight as cancelled", body: cancelledInFlight),
        Check(name: "http:// off loopback and other schemes are refused before anything is sent", body: refusedURLs),
        Check(name: "as many requests in flight at once as the settings ask for", body: requestsInFlight),
    ]

    private static func statuses(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { request in
            let status = Int(request.url.lastPathComponent) ?? 500
            let body = status == 204 ? Data() : Data("{\"echo\":\"\(request.method)\"}".utf8)
            return .response(HTTPResponse(
                status: status,
                headers: ["Content-Type": "application/json", "Sforce-Limit-Info": "api-usage=18/5000"], body: body))
        }
        defer { server.stop() }
        let transport = try await run.transport()
        for status in [200, 201, 204, 400, 401, 404, 500, 503] {
            let response = try await transport.send(
                HTTPRequest(method: .post, url: server.url(path: "/status/\(status)"), body: Data("{}".utf8)))
            try run.require(response.status == status, "expected status \(status), got \(response.status)")
            try run.require(
                response.headers["content-type"] == "application/json",
                "\(status): Content-Type read case-insensitively should be application/json, got \(response.headers["content-type"] ?? "nothing")")
            try run.require(
                response.headers["SFORCE-LIMIT-INFO"] == "api-usage=18/5000",
                "\(status): the Sforce-Limit-Info header did not arrive")
            let expected = status == 204 ? "" : "{\"echo\":\"POST\"}"
            try run.require(
                response.bodyText == expected, "\(status): expected body \(expected), got \(response.bodyText)")
        }
    }

    private static func requestIntact(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, text: "ok")) }
        defer { server.stop() }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Idempotency-Key": "item-42"]
        headers.add(name: "X-Repeated", value: "a")
        let payload = Data(#"{"userId":"u1","npsScore":9}"#.utf8)
        let transport = try await run.transport()
        _ = try await transport.send(HTTPRequest(
            method: .patch, url: server.url(path: "/services/data/v66.0/sobjects/A__c/Key__c/k%201?x=1"),
            headers: headers, body: payload))
        let received = try server.requests.first ?? {
            throw TransportConformanceFailure(check: run.check, message: "the server received no request")
        }()
        try run.require(received.method == .patch, "method: expected PATCH, got \(received.method)")
        try run.require(
            received.url.path == "/services/data/v66.0/sobjects/A__c/Key__c/k 1",
            "path: expected the percent-encoded path to arrive as sent, got \(received.url.path)")
        try run.require(received.url.query == "x=1", "query: expected x=1, got \(received.url.query ?? "none")")
        try run.require(received.headers["idempotency-key"] == "item-42", "the Idempotency-Key header did not arrive")
        try run.require(received.headers["x-repeated"] == "a", "the X-Repeated header did not arrive")
        try run.require(received.headers["content-type"] == "application/json", "the Content-Type header did not arrive")
        try run.require(received.body == payload, "the body arrived changed (\(received.body?.count ?? 0) bytes)")
    }

    private static func largeBodies(_ run: Run) async throws {
        let big = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let server = try LoopbackHTTPServer { request in
            let response = HTTPResponse(status: 200, body: big)
            return request.url.path == "/chunked" ? .raw(LoopbackSocket.encodeChunked(response)) : .response(response)
        }
        defer { server.stop() }
        let transport = try await run.transport()
        for path in ["/declared", "/chunked"] {
            let response = try await transport.send(HTTPRequest(method: .get, url: server.url(path: path)))
            try run.require(response.body == big, "\(path): \(response.body.count) of \(big.count) bytes arrived intact")
        }
    }

    private static func bodyCap(_ run: Run) async throws {
        let cap = 16 * 1024
        let server = try LoopbackHTTPServer { request in
            switch request.url.path {
            case "/chunked":
                // No Content-Length: the cap must hold while the body streams in.
                return .raw(LoopbackSocket.encodeChunked(HTTPResponse(status: 200, body: Data(repeating: 0x42, count: 4 * cap))))
            case "/exact":
                return .response(HTTPResponse(status: 200, body: Data(repeating: 0x43, count: cap)))
            case "/exact-chunked":
                return .raw(LoopbackSocket.encodeChunked(HTTPResponse(status: 200, body: Data(repeating: 0x44, count: cap))))
            default:
                return .response(HTTPResponse(status: 200, body: Data(repeating: 0x41, count: 4 * cap)))
            }
        }
        defer { server.stop() }
        let transport = try await run.transport(Settings(maximumResponseBodySize: cap))
        for path in ["/declared", "/chunked"] {
            let error = try await run.transportError(path) {
                try await transport.send(HTTPRequest(method: .get, url: server.url(path: path)))
            }
            try run.require(error.kind == .bodyTooLarge, "\(path): expected bodyTooLarge, got \(error.kind)")
            try run.require(!error.isRetryable, "\(path): bodyTooLarge must not be retryable")
        }
        for path in ["/exact", "/exact-chunked"] {
            let response = try await transport.send(HTTPRequest(method: .get, url: server.url(path: path)))
            try run.require(response.body.count == cap, "\(path): a body of exactly the cap should arrive, got \(response.body.count) bytes")
        }
    }

    private static func keepAlive(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, text: "ok")) }
        defer { server.stop() }
        let transport = try await run.transport()
        for _ in 0..<5 {
            let response = try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/ping")))
            try run.require(response.status == 200, "expected 200, got \(response.status)")
        }
        try run.require(server.requests.count == 5, "expected 5 requests at the server, saw \(server.requests.count)")
        try run.require(
            server.connectionsAccepted == 1,
            "5 sequential requests should share one connection; the server accepted \(server.connectionsAccepted)")
    }

    private static func redirectNotFollowed(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { request in
            if request.url.path == "/moved" {
                return .response(HTTPResponse(status: 302, headers: ["Location": "/elsewhere"], text: "moved"))
            }
            return .response(HTTPResponse(status: 200, text: "followed"))
        }
        defer { server.stop() }
        let transport = try await run.transport()
        let response = try await transport.send(HTTPRequest(
            method: .post, url: server.url(path: "/moved"), headers: ["Authorization": "Bearer conformance-token"]))
        try run.require(response.status == 302, "expected the 302 itself, got \(response.status)")
        try run.require(response.headers["Location"] == "/elsewhere", "the Location header did not arrive")
        let paths = server.requests.map(\.url.path)
        try run.require(paths == ["/moved"], "the redirect was followed: the server saw \(paths)")
    }

    private static func timeout(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let transport = try await run.transport(Settings(requestTimeout: .milliseconds(300)))
        let error = try await run.transportError("a silent server") {
            try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/slow")))
        }
        try run.require(error.kind == .timeout, "expected timeout, got \(error.kind)")
        try run.require(error.isRetryable, "a timeout must be retryable")
    }

    private static func perRequestTimeout(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let transport = try await run.transport(Settings(requestTimeout: .seconds(120)))
        let started = ContinuousClock.now
        let error = try await run.transportError("a silent server with a 200 ms request timeout") {
            try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/slow"), timeout: .milliseconds(200)))
        }
        try run.require(error.kind == .timeout, "expected timeout, got \(error.kind)")
        // Far from the 120 s the transport allows: only the request's own timeout can have ended it.
        let elapsed = ContinuousClock.now - started
        try run.require(elapsed < .seconds(60), "the request's 200 ms timeout was ignored (it took \(elapsed))")
    }

    private static func connectionRefused(_ run: Run) async throws {
        // Learn a free port from a server, then stop it so that nothing listens there.
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.url(path: "/gone")
        server.stop()
        // A short request timeout: a client whose pool retries connecting until the deadline (AsyncHTTPClient's
        // default) still reports the refusal, without making the check slow.
        let transport = try await run.transport(Settings(requestTimeout: .seconds(2)))
        let error = try await run.transportError("nothing listening") {
            try await transport.send(HTTPRequest(method: .get, url: url))
        }
        try run.require(error.kind == .connectionRefused, "expected connectionRefused, got \(error.kind)")
        try run.require(error.isRetryable, "a refused connection must be retryable")
    }

    private static func droppedConnection(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        defer { server.stop() }
        let transport = try await run.transport()
        let error = try await run.transportError("a server that closes the connection") {
            try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/drop")))
        }
        try run.require(
            error.kind == .connectionLost || error.kind == .connectionRefused,
            "expected connectionLost (or connectionRefused), got \(error.kind)")
        try run.require(error.isRetryable, "a dropped connection must be retryable")
    }

    private static func truncatedBody(_ run: Run) async throws {
        let response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(repeating: 0x61, count: 4096))
        let server = try LoopbackHTTPServer { request in
            request.url.path == "/chunked"
                ? .raw(LoopbackSocket.encodeChunked(response, truncatedAfter: response.body.count / 2))
                : .raw(LoopbackSocket.encodeTruncated(response))
        }
        defer { server.stop() }
        let transport = try await run.transport()
        for path in ["/declared", "/chunked"] {
            let error = try await run.transportError(path) {
                try await transport.send(HTTPRequest(method: .get, url: server.url(path: path)))
            }
            try run.require(error.kind == .connectionLost, "\(path): expected connectionLost, got \(error.kind)")
            try run.require(error.isRetryable, "\(path): a truncated body must be retryable")
        }
    }

    private static func cancelledBeforeSending(_ run: Run) async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200)) }
        defer { server.stop() }
        let transport = try await run.transport()
        let url = server.url(path: "/x")
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(HTTPRequest(method: .get, url: url))
        }
        let error = try await run.transportError("a cancelled task") { try await task.value }
        try run.require(error.kind == .cancelled, "expected cancelled, got \(error.kind)")
        try run.require(!error.isRetryable, "cancellation must not be retryable")
        try run.require(server.requests.isEmpty, "a cancelled task sent \(server.requests.count) request(s)")
    }

    private static func cancelledInFlight(_ run: Run) async throws {
        let (arrivals, arrived) = AsyncStream.makeStream(of: Void.self)
        let server = try LoopbackHTTPServer { _ in
            arrived.yield()
            return .hang
        }
        defer { server.stop() }
        let transport = try await run.transport()
        let url = server.url(path: "/slow")
        let task = Task { try await transport.send(HTTPRequest(method: .get, url: url)) }
        // Cancel only once the request is on the server, so that cancellation hits a request in flight.
        for await _ in arrivals { break }
        task.cancel()
        let error = try await run.transportError("a request cancelled in flight") { try await task.value }
        try run.require(error.kind == .cancelled, "expected cancelled, got \(error.kind)")
    }

    private static func refusedURLs(_ run: Run) async throws {
        let transport = try await run.transport()
        // None of these may be contacted: 0.0.0.0 would reach this machine's port 9 if a transport tried.
        let insecure = ["http://acme.my.salesforce.com/services/oauth2/token", "http://0.0.0.0:9/x", "http://ferry-conformance.invalid/x"]
        for text in insecure {
            let url = try URL(string: text) ?? { throw TransportConformanceFailure(check: run.check, message: "bad URL \(text)") }()
            let error = try await run.transportError(text) { try await transport.send(HTTPRequest(method: .post, url: url)) }
            try run.require(error.kind == .insecureURL, "\(text): expected insecureURL, got \(error.kind)")
            try run.require(!error.isRetryable, "\(text): insecureURL must not be retryable")
        }
        for text in ["file:///etc/passwd", "ftp://localhost/x"] {
            let url = try URL(string: text) ?? { throw TransportConformanceFailure(check: run.check, message: "bad URL \(text)") }()
            let error = try await run.transportError(text) { try await transport.send(HTTPRequest(method: .get, url: url)) }
            try run.require(error.kind == .invalidURL, "\(text): expected invalidURL, got \(error.kind)")
        }
    }

    private static func requestsInFlight(_ run: Run) async throws {
        let settings = Settings(concurrency: 16)
        // The gate gives up well before the requests' own timeout, so a transport that keeps fewer in flight fails
        // with the peak it reached rather than with a timeout.
        let gate = InFlightGate(target: settings.concurrency, giveUpAfter: .seconds(3))
        let server = try LoopbackHTTPServer { _ in
            await gate.enter()
            await gate.leave()
            return .response(HTTPResponse(status: 200, text: "ok"))
        }
        defer { server.stop() }
        let transport = try await run.transport(settings)
        let url = server.url(path: "/held")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<settings.concurrency {
                group.addTask { try await transport.send(HTTPRequest(method: .get, url: url)).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        try run.require(statuses.allSatisfy { $0 == 200 }, "every held request should end with 200, got \(statuses)")
        let peak = await gate.peak
        try run.require(
            peak == settings.concurrency,
            "asked for \(settings.concurrency) requests in flight, the server saw at most \(peak) at once")
    }
}
