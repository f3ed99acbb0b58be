import Foundation
import FerryCore
import FerryTesting
import Testing

@Suite("URLSessionTransport against a real loopback server")
struct URLSessionTransportTests {
    @Test("statuses, headers and bodies arrive as the server sent them", arguments: [200, 201, 204, 400, 401, 404, 500, 503])
    func statusesAndBodies(status: Int) async throws {
        let server = try LoopbackHTTPServer { request in
            let body = status == 204 ? Data() : Data("{\"echo\":\"\(request.method)\"}".utf8)
            return .response(HTTPResponse(
                status: status, headers: ["Content-Type": "application/json", "Sforce-Limit-Info": "api-usage=18/5000"],
                body: body))
        }
        defer { server.stop() }
        let transport = URLSessionTransport()
        let response = try await transport.send(HTTPRequest(method: .post, url: server.url(path: "/x"), body: Data("{}".utf8)))
        #expect(response.status == status)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["SFORCE-LIMIT-INFO"] == "api-usage=18/5000")
        if status == 204 {
            #expect(response.body.isEmpty)
        } else {
            #expect(response.bodyText == "{\"echo\":\"POST\"}")
        }
    }

    @Test("request method, headers and body reach the server intact")
    func requestReachesServer() async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, text: "ok")) }
        defer { server.stop() }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Idempotency-Key": "item-42"]
        headers.add(name: "X-Repeated", value: "a")
        let payload = Data(#"{"userId":"u1","npsScore":9}"#.utf8)
        _ = try await URLSessionTransport().send(
            HTTPRequest(method: .patch, url: server.url(path: "/services/data/v66.0/sobjects/A__c/Key__c/k%201?x=1"),
                        headers: headers, body: payload))
        let received = try #require(server.requests.first)
        #expect(received.method == .patch)
        #expect(received.url.path == "/services/data/v66.0/sobjects/A__c/Key__c/k 1")
        #expect(received.url.query == "x=1")
        #expect(received.headers["idempotency-key"] == "item-42")
        #expect(received.headers["x-repeated"] == "a")
        #expect(received.body == payload)
    }

    @Test("a large body (1 MiB) arrives whole")
    func largeBody() async throws {
        let big = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, body: big)) }
        defer { server.stop() }
        let response = try await URLSessionTransport().send(HTTPRequest(method: .get, url: server.url(path: "/big")))
        #expect(response.body == big)
    }

    @Test("sequential requests reuse one kept-alive connection")
    func keepAlive() async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200, text: "ok")) }
        defer { server.stop() }
        let transport = URLSessionTransport()
        for _ in 0..<5 {
            let response = try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/ping")))
            #expect(response.status == 200)
        }
        #expect(server.requests.count == 5)
        #expect(server.connectionsAccepted == 1)
    }

    @Test("a 302 is returned as it is and never followed")
    func redirectNotFollowed() async throws {
        let server = try LoopbackHTTPServer { request in
            if request.url.path == "/moved" {
                return .response(HTTPResponse(status: 302, headers: ["Location": "/elsewhere"], text: "moved"))
            }
            return .response(HTTPResponse(status: 200, text: "followed"))
        }
        defer { server.stop() }
        let response = try await URLSessionTransport().send(
            HTTPRequest(method: .post, url: server.url(path: "/moved"), headers: ["Authorization": "Bearer secret-token"]))
        #expect(response.status == 302)
        #expect(response.headers["Location"] == "/elsewhere")
        #expect(server.requests.map(\.url.path) == ["/moved"])
    }

    @Test("a server that never answers times out with a retryable timeout error")
    func timeout() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(requestTimeout: .milliseconds(300)))
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/slow")))
        }
        #expect(error?.kind == .timeout)
        #expect(error?.isRetryable == true)
        #expect(error?.description.contains("within the timeout") == true)
    }

    @Test("a request's own timeout overrides the transport's")
    func perRequestTimeout() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(requestTimeout: .seconds(60)))
        let started = ContinuousClock.now
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(
                HTTPRequest(method: .get, url: server.url(path: "/slow"), timeout: .milliseconds(200)))
        }
        #expect(error?.kind == .timeout)
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("a refused connection is reported as such, and retryable")
    func connectionRefused() async throws {
        // Open a server to learn a free port, then stop it so nothing listens there.
        let server = try LoopbackHTTPServer { _ in .close }
        let url = server.url(path: "/gone")
        server.stop()
        let error = await #expect(throws: TransportError.self) {
            _ = try await URLSessionTransport().send(HTTPRequest(method: .get, url: url))
        }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.isRetryable == true)
    }

    @Test("a body over the cap fails with bodyTooLarge, declared or streamed")
    func bodyCap() async throws {
        let big = Data(repeating: 0x41, count: 64 * 1024)
        let server = try LoopbackHTTPServer { request in
            if request.url.path == "/chunked" {
                // No Content-Length: the cap must hold while streaming.
                var raw = Data("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
                for _ in 0..<8 {
                    raw.append(Data("2000\r\n".utf8))
                    raw.append(Data(repeating: 0x42, count: 0x2000))
                    raw.append(Data("\r\n".utf8))
                }
                raw.append(Data("0\r\n\r\n".utf8))
                return .raw(raw)
            }
            return .response(HTTPResponse(status: 200, body: big))
        }
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(maximumResponseBodySize: 16 * 1024))
        for path in ["/declared", "/chunked"] {
            let error = await #expect(throws: TransportError.self) {
                _ = try await transport.send(HTTPRequest(method: .get, url: server.url(path: path)))
            }
            #expect(error?.kind == .bodyTooLarge, "\(path)")
            #expect(error?.isRetryable == false)
        }
        // A body exactly at the cap is fine.
        let exact = URLSessionTransport(configuration: .init(maximumResponseBodySize: big.count))
        let response = try await exact.send(HTTPRequest(method: .get, url: server.url(path: "/declared")))
        #expect(response.body.count == big.count)
    }

    @Test("cancelling the calling task cancels the request")
    func cancellation() async throws {
        let server = try LoopbackHTTPServer { _ in .hang }
        defer { server.stop() }
        let transport = URLSessionTransport()
        let task = Task { try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/slow"))) }
        // Wait until the request is on the server, so cancellation hits an in-flight request.
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let result = await task.result
        #expect(throws: TransportError.self) { try result.get() }
        if case .failure(let error as TransportError) = result { #expect(error.kind == .cancelled) }
    }

    @Test("a task cancelled before sending sends nothing")
    func cancelledBeforeSending() async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 200)) }
        defer { server.stop() }
        let transport = URLSessionTransport()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await transport.send(HTTPRequest(method: .get, url: server.url(path: "/x")))
        }
        let result = await task.result
        #expect(throws: TransportError.self) { try result.get() }
        #expect(server.requests.isEmpty)
    }

    @Test(
        "http:// to a non-loopback host is refused before anything is sent",
        arguments: ["http://acme.my.salesforce.com/services/oauth2/token", "http://10.0.0.1/x", "http://128.0.0.1/x"])
    func insecureRefused(url: String) async throws {
        let error = await #expect(throws: TransportError.self) {
            _ = try await URLSessionTransport().send(HTTPRequest(method: .post, url: URL(string: url)!))
        }
        #expect(error?.kind == .insecureURL)
        #expect(error?.isRetryable == false)
        #expect(error?.description.contains("use https://") == true)
    }

    @Test("URLs without a host or with another scheme are refused", arguments: ["file:///etc/passwd", "ftp://example.com/x"])
    func invalidURL(url: String) async throws {
        let error = await #expect(throws: TransportError.self) {
            _ = try await URLSessionTransport().send(HTTPRequest(method: .get, url: URL(string: url)!))
        }
        #expect(error?.kind == .invalidURL)
    }

    @Test("a dropped connection is reported as lost (or refused), and retryable")
    func droppedConnection() async throws {
        let server = try LoopbackHTTPServer { _ in .close }
        defer { server.stop() }
        let error = await #expect(throws: TransportError.self) {
            _ = try await URLSessionTransport().send(HTTPRequest(method: .get, url: server.url(path: "/drop")))
        }
        #expect(error?.isRetryable == true)
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
