import Foundation
import Ferry
import FerryAuth
import FerryCore
import Testing

/// Checks against the independent Authlib server in `shared/peers/oauth_server.py`, over real HTTP. Runs only
/// when `FERRY_AUTH_PEER_URL` names a running peer started with `--client-id demo-client --client-secret
/// demo-secret` (standard or `--salesforce` mode).
@Suite(
    "Authlib peer interop", .serialized, .timeLimit(.minutes(1)),
    .enabled(if: ProcessInfo.processInfo.environment["FERRY_AUTH_PEER_URL"] != nil))
struct PeerInteropTests {
    let base = ProcessInfo.processInfo.environment["FERRY_AUTH_PEER_URL"] ?? "http://127.0.0.1:1"
    let transport = URLSessionTransport()

    func stats() async throws -> JSONValue {
        let response = try await transport.send(HTTPRequest(method: .get, url: URL(string: base + "/_peer/stats")!))
        return try JSONValue(parsing: response.body)
    }

    func provider(secret: String = "demo-secret", authentication: ClientAuthentication) throws -> ClientCredentialsTokenProvider {
        try .salesforce(myDomain: base, clientID: "demo-client", clientSecret: Secret(secret),
                        authentication: authentication, transport: transport)
    }

    func protected(_ token: AccessToken) async throws -> Int {
        var request = HTTPRequest(method: .get, url: URL(string: base + "/protected")!)
        request.headers["Authorization"] = token.authorizationHeaderValue
        return try await transport.send(request).status
    }

    @Test("200 concurrent callers cause one token request; a 401 after revocation leads to one refresh",
          arguments: [ClientAuthentication.basic, .body])
    func cacheAgainstPeer(_ authentication: ClientAuthentication) async throws {
        let provider = try provider(authentication: authentication)
        let before = try await stats()["token_requests"]?.intValue ?? 0
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 { group.addTask { try await provider.token().value } }
            var values = Set<String>()
            for try await value in group { values.insert(value) }
            return values
        }
        #expect(values.count == 1)
        #expect(try await stats()["token_requests"]?.intValue == before + 1)
        let token = try await provider.token()
        #expect(try await protected(token) == 200)

        _ = try await transport.send(HTTPRequest(method: .post, url: URL(string: base + "/_peer/revoke")!))
        #expect(try await protected(token) == 401)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { await provider.invalidate(token) } }
        }
        let fresh = try await provider.token()
        #expect(fresh.value != token.value)
        #expect(try await protected(fresh) == 200)
        #expect(try await stats()["token_requests"]?.intValue == before + 2)
    }

    @Test("a wrong secret is invalid_client with the remedy", arguments: [ClientAuthentication.basic, .body])
    func wrongSecret(_ authentication: ClientAuthentication) async throws {
        let provider = try provider(secret: "wrong-secret", authentication: authentication)
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.oauthError == "invalid_client")
        #expect(error.remedy.contains("regenerate the Consumer Key and Secret"))
        #expect(!error.description.contains("wrong-secret"))
    }

    @Test("a grant the server does not support is unsupported_grant_type with the remedy")
    func wrongGrant() async throws {
        let exchange = try TokenExchangeTokenProvider(
            configuration: .init(tokenURL: URL(string: base + "/services/oauth2/token")!, clientID: "demo-client",
                                 clientSecret: Secret("demo-secret"), subjectTokenType: .accessToken),
            subject: .closure { Secret("some-subject-token-value") }, transport: transport)
        let error = try await #require(throws: AuthError.self) { try await exchange.token() }
        #expect(error.oauthError == "unsupported_grant_type")
        #expect(error.remedy.contains("Token Exchange Flow"))
    }

    @Test("a scope the client may not have is invalid_scope with the remedy")
    func wrongScope() async throws {
        let provider = try ClientCredentialsTokenProvider(
            configuration: .init(tokenURL: URL(string: base + "/services/oauth2/token")!, clientID: "demo-client",
                                 clientSecret: Secret("demo-secret"), scope: "admin"),
            transport: transport)
        let error = try await #require(throws: AuthError.self) { try await provider.token() }
        #expect(error.oauthError == "invalid_scope")
        #expect(error.remedy.contains("request no scope"))
    }
}
