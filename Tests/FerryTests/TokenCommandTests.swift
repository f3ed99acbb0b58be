import Foundation
import Ferry
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers every request with a canned response and records the
/// raw requests: just enough to test `ferry token` end to end without anything outside the test.
final class LoopbackTokenServer: Sendable {
    struct Reply: Sendable {
        let status: Int
        let body: String
    }

    let port: UInt16
    private let socketFD: Int32
    private let recorded = Mutex<[String]>([])

    init(reply: Reply) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socketFD = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in self.serve(reply) }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var requests: [String] { recorded.withLock { $0 } }

    func stop() {
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private func serve(_ reply: Reply) {
        while true {
            let client = accept(socketFD, nil, nil)
            guard client >= 0 else { return }
            let request = readRequest(client)
            recorded.withLock { $0.append(request) }
            let body = Array(reply.body.utf8)
            let head = "HTTP/1.1 \(reply.status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
                + "Connection: close\r\n\r\n"
            let bytes = Array(head.utf8) + body
            bytes.withUnsafeBytes { _ = send(client, $0.baseAddress, $0.count, 0) }
            close(client)
        }
    }

    /// Reads the head and as many body bytes as `Content-Length` says.
    private func readRequest(_ client: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            data += buffer[0..<count]
            let text = String(decoding: data, as: UTF8.self)
            guard let headEnd = text.range(of: "\r\n\r\n") else { continue }
            let head = text[..<headEnd.lowerBound].lowercased()
            let lengthLine = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            let length = lengthLine.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length { break }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("ferry token", .serialized)
struct TokenCommandTests {
    static let secret = "cli-S3cret-value-123"
    static let token = "00D000000000001AAA!AQcAQH0dMHZfz972Szmpkb58urFRkgeBGsxL"
    static let salesforceBody = #"{"access_token":"\#(token)","signature":"c2ln","scope":"api","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer","issued_at":"1700000000000"}"#

    @Test("Basic authentication: exit 0, the token redacted, the secret in the Basic header only")
    func basic() throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(result.stdout.contains("access_token  00D000…(\(Self.token.count) chars)"))
        #expect(result.stdout.contains("issued_at     2023-11-14T22:13:20Z"))
        #expect(result.stdout.contains("expires_at    2023-11-15T00:13:20Z"))
        #expect(!result.stdout.contains(Self.token))
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /services/oauth2/token HTTP/1.1"))
        let basic = Data("demo-client:\(Self.secret)".utf8).base64EncodedString()
        #expect(request.contains("Basic \(basic)"))
        #expect(request.hasSuffix("\r\n\r\ngrant_type=client_credentials"))
    }

    @Test("--auth body --json --reveal: credentials in the body, one JSON object with ISO 8601 times")
    func bodyJSONReveal() throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try CLI.run(
            ["token", "--domain", server.baseURL, "--client-id", "demo-client", "--auth", "body", "--json", "--reveal"],
            environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        let object = try #require(try JSONValue(parsing: result.stdout).objectValue)
        #expect(object["access_token"]?.stringValue == Self.token)
        #expect(object["token_type"]?.stringValue == "Bearer")
        #expect(object["instance_url"]?.stringValue == "https://acme.my.salesforce.com")
        #expect(object["issued_at"]?.stringValue == "2023-11-14T22:13:20Z")
        #expect(object["expires_at"]?.stringValue == "2023-11-15T00:13:20Z")
        let request = try #require(server.requests.first)
        #expect(request.contains("client_id=demo-client&client_secret=\(Self.secret)"))
        #expect(!request.lowercased().contains("authorization:"))
    }

    @Test("--json without --reveal redacts the token")
    func jsonRedacted() throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client", "--json"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(Self.token))
        #expect(result.stdout.contains(#""access_token":"00D000…"#))
    }

    @Test("an OAuth error exits 1 and names the code and the remedy, never the secret")
    func oauthError() throws {
        let server = try LoopbackTokenServer(reply: .init(
            status: 400, body: #"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#))
        defer { server.stop() }
        let result = try CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 1)
        #expect(result.stderr.contains("invalid_grant"))
        #expect(result.stderr.contains("Run As user"))
        #expect(!result.stderr.contains(Self.secret))
        #expect(result.stdout.isEmpty)
    }

    @Test("nothing listening exits 1 with a transport error")
    func connectionRefused() throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: "{}"))
        let url = server.baseURL
        server.stop()
        let result = try CLI.run(["token", "--domain", url, "--client-id", "demo-client"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 1)
        #expect(result.stderr.contains("got no response"))
    }

    @Test("usage and configuration errors exit 2 before any request", arguments: [
        (["--domain", "http://acme.my.salesforce.com", "--client-id", "x"], "plain http://"),
        (["--domain", "https://login.salesforce.com", "--client-id", "x"], "My Domain"),
        (["--domain", "acme.lightning.force.com", "--client-id", "x"], "https://acme.my.salesforce.com"),
        (["--domain", "https://acme.my.salesforce.com", "--client-id", "x", "--auth", "digest"], "--auth must be basic or body"),
        (["--domain", "https://acme.my.salesforce.com"], "missing required option --client-id"),
        (["--client-id", "x"], "missing required option --domain"),
        (["--domain", "https://acme.my.salesforce.com", "--client-id", "x", "--secret", "s"], "unknown option '--secret'"),
        (["--domain", "https://acme.my.salesforce.com", "--client-id", "x", "extra"], "unexpected argument 'extra'"),
    ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let result = try CLI.run(["token"] + arguments, environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
        #expect(!result.stderr.contains(Self.secret))
    }

    @Test("a missing FERRY_CLIENT_SECRET exits 2 and says where the secret comes from")
    func missingSecret() throws {
        let result = try CLI.run(["token", "--domain", "https://acme.my.salesforce.com", "--client-id", "x"],
                                 environment: ["FERRY_CLIENT_SECRET": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("FERRY_CLIENT_SECRET"))
    }

    @Test("ferry token --help documents the options and exit statuses")
    func help() throws {
        let result = try CLI.run(["token", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ferry token --domain BASE_URL --client-id ID [--auth basic|body] [--json] [--reveal]"))
        #expect(result.stdout.contains("FERRY_CLIENT_SECRET"))
    }
}
