import Ferry
import FerryTesting
import Foundation
import Testing

/// The token endpoint `ferry token` talks to in these tests: FerryTesting's loopback server answering every
/// request with one canned reply, and the requests as text (request line, headers, body) for assertions.
final class LoopbackTokenServer: Sendable {
    struct Reply: Sendable {
        let status: Int
        let body: String
    }

    private let server: LoopbackHTTPServer

    init(reply: Reply) throws {
        let response = HTTPResponse(status: reply.status, headers: ["Content-Type": "application/json"], text: reply.body)
        server = try LoopbackHTTPServer { _ in .response(response) }
    }

    var baseURL: String { server.baseURL.absoluteString }

    var requests: [String] {
        server.requests.map { request in
            var text = "\(request.method) \(request.url.path) HTTP/1.1\r\n"
            for field in request.headers { text += "\(field.name): \(field.value)\r\n" }
            return text + "\r\n" + String(decoding: request.body ?? Data(), as: UTF8.self)
        }
    }

    func stop() { server.stop() }
}

@Suite("ferry token", .serialized)
struct TokenCommandTests {
    static let secret = "cli-S3cret-value-123"
    static let token = "00D000000000001AAA!AQcAQH0dMHZfz972Szmpkb58urFRkgeBGsxL"
    /// Issued a minute ago (whole seconds), as a real org's reply would be.
    static let issued = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 60).rounded(.down))
    static let issuedText = issued.formatted(.iso8601)
    static let expiresText = issued.addingTimeInterval(7200).formatted(.iso8601)
    static let salesforceBody = #"{"access_token":"\#(token)","signature":"c2ln","scope":"api","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA","token_type":"Bearer","issued_at":"\#(Int64(issued.timeIntervalSince1970) * 1000)"}"#

    @Test("Basic authentication: exit 0, the token redacted, the secret in the Basic header only")
    func basic() async throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try await CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(result.stdout.contains("access_token  00D000…(\(Self.token.count) chars)"))
        #expect(result.stdout.contains("issued_at     \(Self.issuedText)"))
        #expect(result.stdout.contains("expires_at    \(Self.expiresText)"))
        #expect(!result.stdout.contains(Self.token))
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("POST /services/oauth2/token HTTP/1.1"))
        let basic = Data("demo-client:\(Self.secret)".utf8).base64EncodedString()
        #expect(request.contains("Basic \(basic)"))
        #expect(request.hasSuffix("\r\n\r\ngrant_type=client_credentials"))
    }

    @Test("--auth body --json --reveal: credentials in the body, one JSON object with ISO 8601 times")
    func bodyJSONReveal() async throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try await CLI.run(
            ["token", "--domain", server.baseURL, "--client-id", "demo-client", "--auth", "body", "--json", "--reveal"],
            environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        let object = try #require(try JSONValue(parsing: result.stdout).objectValue)
        #expect(object["access_token"]?.stringValue == Self.token)
        #expect(object["token_type"]?.stringValue == "Bearer")
        #expect(object["instance_url"]?.stringValue == "https://acme.my.salesforce.com")
        #expect(object["issued_at"]?.stringValue == Self.issuedText)
        #expect(object["expires_at"]?.stringValue == Self.expiresText)
        let request = try #require(server.requests.first)
        #expect(request.contains("client_id=demo-client&client_secret=\(Self.secret)"))
        #expect(!request.lowercased().contains("authorization:"))
    }

    @Test("--json without --reveal redacts the token")
    func jsonRedacted() async throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: Self.salesforceBody))
        defer { server.stop() }
        let result = try await CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client", "--json"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(!result.stdout.contains(Self.token))
        #expect(result.stdout.contains(#""access_token":"00D000…"#))
    }

    @Test("an OAuth error exits 1 and names the code and the remedy, never the secret")
    func oauthError() async throws {
        let server = try LoopbackTokenServer(reply: .init(
            status: 400, body: #"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#))
        defer { server.stop() }
        let result = try await CLI.run(["token", "--domain", server.baseURL, "--client-id", "demo-client"],
                                 environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 1)
        #expect(result.stderr.contains("invalid_grant"))
        #expect(result.stderr.contains("Run As user"))
        #expect(!result.stderr.contains(Self.secret))
        #expect(result.stdout.isEmpty)
    }

    @Test("nothing listening exits 1 with a transport error")
    func connectionRefused() async throws {
        let server = try LoopbackTokenServer(reply: .init(status: 200, body: "{}"))
        let url = server.baseURL
        server.stop()
        let result = try await CLI.run(["token", "--domain", url, "--client-id", "demo-client"],
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
    func usageErrors(_ arguments: [String], _ message: String) async throws {
        let result = try await CLI.run(["token"] + arguments, environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message))
        #expect(!result.stderr.contains(Self.secret))
    }

    @Test("a missing FERRY_CLIENT_SECRET exits 2 and says where the secret comes from")
    func missingSecret() async throws {
        let result = try await CLI.run(["token", "--domain", "https://acme.my.salesforce.com", "--client-id", "x"],
                                 environment: ["FERRY_CLIENT_SECRET": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("FERRY_CLIENT_SECRET"))
    }

    @Test("ferry token --help documents the options and exit statuses")
    func help() async throws {
        let result = try await CLI.run(["token", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ferry token --domain BASE_URL --client-id ID [--auth basic|body] [--json] [--reveal]"))
        #expect(result.stdout.contains("FERRY_CLIENT_SECRET"))
    }
}
