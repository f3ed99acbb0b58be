import FerryCore
import Foundation

extension SimulatedSalesforceOrg {
    /// `/services/oauth2/token`, `/introspect` and `/revoke`.
    func handleOAuth(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.url.path
        let parameters = FormBody.parse(request.body)
        func parameter(_ name: String) -> String? { parameters.first { $0.0 == name }?.1 }
        let isToken = path == "/services/oauth2/token"
        if isToken {
            let failure = state.withLock { state -> Int? in
                state.counters.tokenRequests += 1
                guard state.tokenFailures.remaining > 0 else { return nil }
                state.tokenFailures.remaining -= 1
                state.counters.faultsInjected += 1
                state.counters.faultsByKind["TOKEN_ENDPOINT", default: 0] += 1
                return state.tokenFailures.status
            }
            if let failure {
                return HTTPResponse(
                    status: failure, headers: ["Content-Type": "text/html"],
                    text: "<html><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>")
            }
        }
        guard request.method == .post else {
            return Replies.oauth(400, "invalid_request", "must use HTTP POST")
        }
        guard ["/services/oauth2/token", "/services/oauth2/introspect", "/services/oauth2/revoke"].contains(path) else {
            return Replies.notFound
        }
        if isToken {
            let grant = parameter("grant_type")
            guard let grant, !grant.isEmpty else {
                return Replies.oauth(400, "unsupported_grant_type", "grant type not supported")
            }
            guard grant == "client_credentials" else {
                return Replies.oauth(400, "unsupported_grant_type", "grant type not supported")
            }
            if parameter("scope") != nil {
                return Replies.oauth(400, "invalid_request", "scope parameter not supported")
            }
        }
        // Client authentication: Basic in the header, or client_id/client_secret in the body.
        var clientID = parameter("client_id")
        var secret = parameter("client_secret")
        if let header = request.headers["Authorization"], header.lowercased().hasPrefix("basic ") {
            let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
            if let data = Data(base64Encoded: encoded) {
                let pair = String(decoding: data, as: UTF8.self)
                if let colon = pair.firstIndex(of: ":") {
                    clientID = FormBody.decode(String(pair[..<colon]))
                    secret = FormBody.decode(String(pair[pair.index(after: colon)...]))
                }
            }
        }
        let client = state.withLock { state in clientID.flatMap { state.clients[$0] } }
        guard let client else {
            return Replies.oauth(400, "invalid_client_id", "client identifier invalid")
        }
        guard let secret, client.secret == Secret(secret) else {
            return Replies.oauth(400, "invalid_client", "invalid client credentials")
        }
        switch path {
        case "/services/oauth2/introspect": return introspect(parameter("token"), client: client)
        case "/services/oauth2/revoke": return revoke(parameter("token"))
        default: return issueToken(for: client)
        }
    }

    private func issueToken(for client: SimulatedClient) -> HTTPResponse {
        guard client.hasRunAsUser else {
            return Replies.oauth(400, "invalid_grant", "no client credentials user enabled")
        }
        guard client.hasAPIScope else {
            return Replies.oauth(400, "invalid_grant", "no valid scopes defined")
        }
        let now = clock.now
        let orgNow = now.addingTimeInterval(configuration.clockOffset.seconds)
        let issuedAt = String(Int64((orgNow.timeIntervalSince1970 * 1000).rounded(.down)))
        let organizationID = configuration.organizationID
        let userID = "0055g00000" + String(organizationID.suffix(5)) + "AAQ"
        let identity = "https://login.salesforce.com/id/\(organizationID)/\(userID)"
        var generator = SystemRandomNumberGenerator()
        let alphabet = SalesforceIDs.base62 + [".", "_"]
        let marker = configuration.accessTokenMarker ?? ""
        let tail = String((0..<max(16, 92 - marker.count)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        let token = String(organizationID.prefix(15)) + "!AQ4AQ" + marker + tail
        let signature = Data(HMACSHA256.authenticationCode(
            key: Array(client.secret.reveal().utf8), message: Array((identity + issuedAt).utf8))).base64EncodedString()
        let lifetime = configuration.sessionLifetime.seconds
        state.withLock { state in
            state.sessions[token] = OrgState.Session(clientID: client.id, expiresAt: now.addingTimeInterval(lifetime))
            state.counters.tokensIssued += 1
        }
        return HTTPResponse(status: 200, json: [
            "access_token": .string(token), "signature": .string(signature), "scope": "api",
            "instance_url": .string(SimulatedSalesforceOrg.origin(configuration.org.baseURL)), "id": .string(identity),
            "token_type": "Bearer", "issued_at": .string(issuedAt), "api_instance_url": "https://api.salesforce.com",
        ])
    }

    private func introspect(_ token: String?, client: SimulatedClient) -> HTTPResponse {
        let now = clock.now
        let session = state.withLock { state in token.flatMap { state.sessions[$0] } }
        guard let session, !session.revoked, session.expiresAt > now else {
            return HTTPResponse(status: 200, json: ["active": false])
        }
        let lifetime = configuration.sessionLifetime.seconds
        let expires = Int64(session.expiresAt.timeIntervalSince1970)
        return HTTPResponse(status: 200, json: [
            "active": true, "scope": "api", "client_id": .string(client.id), "username": "integration@acme.example",
            "sub": .string("https://login.salesforce.com/id/\(configuration.organizationID)/0055g00000RunAsAAQ"),
            "token_type": "access_token", "exp": .number(JSONNumber(expires)),
            "iat": .number(JSONNumber(expires - Int64(lifetime))), "nbf": .number(JSONNumber(expires - Int64(lifetime))),
        ])
    }

    private func revoke(_ token: String?) -> HTTPResponse {
        let revoked = state.withLock { state -> Bool in
            guard let token, state.sessions[token] != nil else { return false }
            state.sessions[token]?.revoked = true
            return true
        }
        return revoked ? HTTPResponse(status: 200) : Replies.oauth(400, "invalid_token", "invalid token")
    }

    static func origin(_ url: URL) -> String {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
