import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("AuthError mapping", .timeLimit(.minutes(1)))
struct AuthErrorTests {
    struct OAuthCase: Sendable, CustomTestStringConvertible {
        let status: Int
        let body: String
        let code: String
        /// Phrases the remedy must contain.
        let remedy: [String]
        var testDescription: String { "\(code): \(remedy.first ?? "")" }
    }

    /// Real Salesforce token-endpoint error bodies (reference table and the seed's Troubleshooting table), plus
    /// the RFC 6749 codes Authlib and other servers send.
    static let oauthCases: [OAuthCase] = [
        OAuthCase(status: 400, body: #"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#,
                  code: "invalid_client_id", remedy: ["Consumer Key", "10 minutes"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_client","error_description":"invalid client credentials"}"#,
                  code: "invalid_client", remedy: ["regenerate the Consumer Key and Secret", "Run As user"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_grant","error_description":"no client credentials user enabled"}"#,
                  code: "invalid_grant", remedy: ["set a Run As user", "OAuth Policies"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_grant","error_description":"no valid scopes defined"}"#,
                  code: "invalid_grant", remedy: ["Manage user data via APIs (api)"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_grant","error_description":"request not supported on this domain"}"#,
                  code: "invalid_grant", remedy: ["My Domain", "not login.salesforce.com"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_grant","error_description":"authentication failure"}"#,
                  code: "invalid_grant", remedy: ["flow is enabled"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_request","error_description":"scope parameter not supported"}"#,
                  code: "invalid_request", remedy: ["do not send a scope"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_request","error_description":"Missing \"grant_type\" in request."}"#,
                  code: "invalid_request", remedy: ["check the token URL"]),
        OAuthCase(status: 400, body: #"{"error":"unsupported_grant_type","error_description":"grant type not supported"}"#,
                  code: "unsupported_grant_type", remedy: ["enable the Client Credentials Flow"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_app_access","error_description":"user is not admin approved to access this app"}"#,
                  code: "invalid_app_access", remedy: ["pre-authorize the Run As user"]),
        OAuthCase(status: 401, body: #"{"error":"invalid_client","error_description":""}"#,
                  code: "invalid_client", remedy: ["regenerate"]),
        OAuthCase(status: 400, body: #"{"error":"unauthorized_client","error_description":"The client is not authorized to use \"grant_type=client_credentials\""}"#,
                  code: "unauthorized_client", remedy: ["enable the flow"]),
        OAuthCase(status: 400, body: #"{"error":"invalid_scope","error_description":"The requested scope is invalid"}"#,
                  code: "invalid_scope", remedy: ["request no scope"]),
        OAuthCase(status: 400, body: #"{"error":"something_new","error_description":"a future error"}"#,
                  code: "something_new", remedy: ["error description"]),
    ]

    @Test("every OAuth error body maps to what happened and what to do", arguments: oauthCases)
    func oauthErrors(_ testCase: OAuthCase) async throws {
        let transport = MockTransport(always: HTTPResponse(
            status: testCase.status, headers: ["Content-Type": "application/json;charset=UTF-8"], text: testCase.body))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .oauth)
        #expect(error.oauthError == testCase.code)
        #expect(error.status == testCase.status)
        #expect(!error.isRetryable)
        for phrase in testCase.remedy { #expect(error.remedy.contains(phrase)) }
        let text = String(describing: error)
        #expect(text.contains(testCase.code))
        #expect(text.contains("HTTP \(testCase.status)"))
        #expect(text.contains("token request to https://acme.my.salesforce.com/services/oauth2/token failed"))
        #expect(text.contains("Fix: "))
        #expect(!text.contains(Fixtures.clientSecret))
    }

    @Test("revocation errors: unsupported_token_type and invalid_token", arguments: [
        ("unsupported_token_type", "access or refresh token"), ("invalid_token", "fetch a new token"),
    ])
    func revocationErrors(_ code: String, _ remedy: String) async throws {
        let transport = MockTransport(always: Fixtures.oauthError(400, code, "the token was invalid"))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let token = AccessToken(value: Fixtures.tokenValue(1), issuedAt: Date())
        let error = try await #require(throws: AuthError.self) { try await provider.revoke(token) }
        #expect(error.oauthError == code)
        #expect(error.operation == "revocation")
        #expect(error.remedy.contains(remedy))
        #expect(!error.description.contains(Fixtures.tokenValue(1)))
    }

    @Test("a non-JSON error page is an unexpected status with a short excerpt, retryable for 5xx")
    func htmlErrorPage() async throws {
        let page = "<html><head><title>Maintenance</title></head><body>\n" + String(repeating: "Salesforce is down for maintenance. ", count: 20) + "</body></html>"
        let transport = MockTransport(always: HTTPResponse(status: 503, headers: ["Content-Type": "text/html"], text: page))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .unexpectedStatus)
        #expect(error.status == 503)
        #expect(error.isRetryable)
        #expect(error.description.contains("HTTP 503"))
        #expect(error.description.contains("<title>Maintenance</title>"))
        #expect(error.description.contains("…"))
        #expect(error.description.count < 600)
        #expect(error.remedy.contains("retry later"))
    }

    @Test("unexpected statuses carry a remedy for their class", arguments: [
        (302, "redirects"), (404, "/services/oauth2/token"), (403, "client id and secret"), (429, "retry later"),
        (418, "check the URL"),
    ])
    func unexpectedStatuses(_ status: Int, _ remedy: String) async throws {
        let transport = MockTransport(always: HTTPResponse(status: status, text: ""))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .unexpectedStatus)
        #expect(error.remedy.contains(remedy))
        #expect(error.isRetryable == (status == 429))
    }

    @Test("a REST-style error array on the token endpoint is an unexpected status with an excerpt")
    func restErrorArray() async throws {
        let transport = MockTransport(always: HTTPResponse(
            status: 401, text: #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .unexpectedStatus)
        #expect(error.description.contains("INVALID_SESSION_ID"))
    }

    @Test("a 200 that is not JSON is a malformed response with an excerpt")
    func successNotJSON() async throws {
        let transport = MockTransport(always: HTTPResponse(
            status: 200, headers: ["Content-Type": "text/html"], text: "<html>Login | Salesforce</html>"))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .malformedResponse)
        #expect(error.description.contains("not JSON (text/html)"))
        #expect(error.description.contains("Login | Salesforce"))
        #expect(!error.isRetryable)
    }

    @Test("a 200 JSON array or an object without access_token is a malformed response")
    func successWrongShape() async throws {
        for (body, phrase) in [("[1,2]", "a JSON array, not an object"), (#"{"token_type":"Bearer"}"#, "no access_token")] {
            let transport = MockTransport(always: HTTPResponse(status: 200, text: body))
            let provider = try Fixtures.provider(transport, clock: ManualClock())
            let error = try await #require(throws: AuthError.self) { try await provider.token() }
            #expect(error.kind == .malformedResponse)
            #expect(error.description.contains(phrase))
        }
    }

    @Test("a truncated 200 body never echoes the token in the excerpt")
    func truncatedBodyHidesToken() async throws {
        let body = #"{"access_token":"\#(Fixtures.tokenValue(1))","signature":"abc","instance_url":"https://acme.my.sal"#
        let transport = MockTransport(always: HTTPResponse(status: 200, text: body))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .malformedResponse)
        #expect(!error.description.contains(Fixtures.tokenValue(1)))
        #expect(!error.description.contains("AQ4AQFakeToken"))
        #expect(error.description.contains("<redacted>"))
    }

    @Test("a server that echoes the secret or a token in its error never gets it into the message")
    func echoedSecretsAreScrubbed() async throws {
        let transport = MockTransport(always: Fixtures.oauthError(
            400, "invalid_client", "bad secret \(Fixtures.clientSecret) for token \(Fixtures.tokenValue(9))"))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        for form in Fixtures.printedForms(error) {
            #expect(!form.contains(Fixtures.clientSecret))
            #expect(!form.contains(Fixtures.tokenValue(9)))
        }
    }

    @Test("transport failures are wrapped and keep isRetryable", arguments: [
        (TransportError.Kind.timeout, true), (.connectionRefused, true), (.dnsFailure, true), (.tls, false),
        (.insecureURL, false),
    ])
    func transportFailures(_ kind: TransportError.Kind, _ retryable: Bool) async throws {
        let transport = MockTransport { request, _ in throw TransportError(kind, url: request.redactedURL) }
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.kind == .transport)
        #expect(error.transportError?.kind == kind)
        #expect(error.isRetryable == retryable)
        #expect(error.description.contains("got no response"))
        #expect(error.endpoint == "https://acme.my.salesforce.com/services/oauth2/token")
    }

    @Test("an unknown error from a transport is wrapped as a transport failure of kind other")
    func foreignTransportError() async throws {
        struct Weird: Error {}
        let transport = MockTransport { _, _ in throw Weird() }
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.transportError?.kind == .other)
    }
}
