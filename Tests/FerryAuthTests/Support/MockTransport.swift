import Foundation
import FerryAuth
import FerryCore

/// A transport that records every request and answers with a closure (given the request and its 1-based number).
final class MockTransport: HTTPTransport {
    private let recorded = FerryMutex<[HTTPRequest]>([])
    private let reply: @Sendable (HTTPRequest, Int) async throws -> HTTPResponse

    init(reply: @escaping @Sendable (HTTPRequest, Int) async throws -> HTTPResponse) {
        self.reply = reply
    }

    /// Always answers `response`.
    convenience init(always response: HTTPResponse) {
        self.init { _, _ in response }
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let number = recorded.withLock { requests -> Int in
            requests.append(request)
            return requests.count
        }
        return try await reply(request, number)
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }
    var count: Int { recorded.withLock { $0.count } }
}

/// Collects a provider's events.
final class EventRecorder: Sendable {
    private let events = FerryMutex<[AuthEvent]>([])

    var handler: AuthEventHandler { { event in self.events.withLock { $0.append(event) } } }
    var all: [AuthEvent] { events.withLock { $0 } }
    func count(_ kind: AuthEvent.Kind) -> Int { all.filter { $0.kind == kind }.count }
}

/// A counter safe to bump from many tasks.
final class Counter: Sendable {
    private let value = FerryMutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var current: Int { value.withLock { $0 } }
}

enum Fixtures {
    static let clientID = "3MVG9demoConsumerKey"
    static let clientSecret = "S3cr3t-Consumer-Secret-9F8E7D"
    static let tokenURL = URL(string: "https://acme.my.salesforce.com/services/oauth2/token")!

    /// A realistic Salesforce session id for token number `n`.
    static func tokenValue(_ n: Int) -> String { "00D5g000004XYZ!AQ4AQFakeToken\(n)xYzAbCdEfGhIjKlMnOp" }

    /// A standard RFC 6749 token response.
    static func standard(_ n: Int, expiresIn: Int = 3600) -> HTTPResponse {
        HTTPResponse(status: 200, json: [
            "access_token": .string(tokenValue(n)), "token_type": "Bearer", "expires_in": .int(expiresIn),
            "scope": "api",
        ])
    }

    /// Salesforce's client-credentials response: `issued_at` a string of epoch ms, no `expires_in`.
    static func salesforce(_ n: Int, issuedAt: Date) -> HTTPResponse {
        let ms = String(Int64(issuedAt.timeIntervalSince1970 * 1000))
        return HTTPResponse(status: 200, json: [
            "access_token": .string(tokenValue(n)), "signature": "q5e0bYQ0o7xRk1lXg0cYdGVzdHNpZ25hdHVyZQ==",
            "scope": "api", "instance_url": "https://acme.my.salesforce.com",
            "id": "https://login.salesforce.com/id/00D5g000004XYZAAA/0055g00000ABCDEAA4", "token_type": "Bearer",
            "issued_at": .string(ms), "api_instance_url": "https://api.salesforce.com",
        ])
    }

    static func oauthError(_ status: Int, _ error: String, _ description: String) -> HTTPResponse {
        HTTPResponse(status: status, json: ["error": .string(error), "error_description": .string(description)])
    }

    static func configuration(
        authentication: ClientAuthentication = .basic, expiry: TokenExpiry = .expiresIn,
        policy: TokenCachePolicy = .default
    ) -> ClientCredentialsTokenProvider.Configuration {
        .init(
            tokenURL: tokenURL, clientID: clientID, clientSecret: Secret(clientSecret),
            authentication: authentication, expiry: expiry,
            introspectionURL: URL(string: "https://acme.my.salesforce.com/services/oauth2/introspect"),
            revocationURL: URL(string: "https://acme.my.salesforce.com/services/oauth2/revoke"), cachePolicy: policy)
    }

    static func provider(
        _ transport: MockTransport, clock: ManualClock, authentication: ClientAuthentication = .basic,
        expiry: TokenExpiry = .expiresIn, policy: TokenCachePolicy = .default, events: EventRecorder? = nil
    ) throws -> ClientCredentialsTokenProvider {
        try ClientCredentialsTokenProvider(
            configuration: configuration(authentication: authentication, expiry: expiry, policy: policy),
            transport: transport, clock: clock, onEvent: events?.handler)
    }

    /// Decodes a form body into name → value.
    static func form(_ request: HTTPRequest) -> [String: String] {
        let text = String(decoding: request.body ?? Data(), as: UTF8.self)
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0) }
            let name = parts[0].removingPercentEncoding ?? parts[0]
            let value = parts.count > 1 ? (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? parts[1]) : ""
            result[name] = value
        }
        return result
    }

    /// Every printed form of a value: description, reflection and dump.
    static func printedForms(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped]
    }
}
