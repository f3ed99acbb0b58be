import Foundation
import FerryCore

/// Sends form-encoded, client-authenticated POSTs to OAuth endpoints and turns every non-success into an
/// ``AuthError`` that never contains the secret or a token.
struct OAuthEndpointClient: Sendable {
    let transport: any HTTPTransport
    let clientID: String
    /// `nil` for a public client (token exchange without a secret): only `client_id` is sent, in the body.
    let clientSecret: Secret?
    let authentication: ClientAuthentication
    let timeout: Duration?

    /// Posts `parameters` to `url` and returns the 2xx response.
    /// - Throws: ``AuthError`` for transport failures and non-2xx answers; `CancellationError` when cancelled.
    func post(
        _ url: URL, parameters: [(String, String)], operation: String, secrets: [String] = []
    ) async throws -> HTTPResponse {
        var parameters = parameters
        var headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
        ]
        if let clientSecret {
            authentication.apply(clientID: clientID, secret: clientSecret, headers: &headers, parameters: &parameters)
        } else {
            parameters.append(("client_id", clientID))
        }
        let request = HTTPRequest(
            method: .post, url: url, headers: headers, body: FormEncoding.encode(parameters), timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as TransportError {
            if error.kind == .cancelled, Task.isCancelled { throw CancellationError() }
            throw AuthError.transport(error, operation: operation)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AuthError.transport(
                TransportError(.other, url: request.redactedURL, detail: String(describing: type(of: error))),
                operation: operation)
        }
        guard response.isSuccess else {
            throw failure(response, operation: operation, endpoint: request.redactedURL, secrets: secrets)
        }
        return response
    }

    /// Posts and reads the 2xx answer as a JSON object.
    func postForObject(
        _ url: URL, parameters: [(String, String)], operation: String, secrets: [String] = []
    ) async throws -> JSONObject {
        let response = try await post(url, parameters: parameters, operation: operation, secrets: secrets)
        return try object(from: response, operation: operation, endpoint: HTTPRequest(method: .post, url: url).redactedURL,
                          secrets: secrets)
    }

    func object(
        from response: HTTPResponse, operation: String, endpoint: String, secrets: [String]
    ) throws(AuthError) -> JSONObject {
        let all = allSecrets(secrets)
        let value: JSONValue
        do {
            value = try JSONValue(parsing: response.body)
        } catch {
            let type = response.headers["Content-Type"].map { " (\($0))" } ?? ""
            throw AuthError.malformedResponse(
                status: response.status, problem: "the body is not JSON\(type)",
                excerpt: ResponseExcerpt.make(response, secrets: all), operation: operation, endpoint: endpoint)
        }
        guard let object = value.objectValue else {
            throw AuthError.malformedResponse(
                status: response.status, problem: "the body is a JSON \(value.kindName), not an object",
                excerpt: ResponseExcerpt.make(response, secrets: all), operation: operation, endpoint: endpoint)
        }
        return object
    }

    /// The error for a non-2xx response: an OAuth error body when there is one, else the status and an excerpt.
    func failure(_ response: HTTPResponse, operation: String, endpoint: String, secrets: [String]) -> AuthError {
        let all = allSecrets(secrets)
        if let object = (try? JSONValue(parsing: response.body))?.objectValue,
            let code = object["error"]?.stringValue, !code.isEmpty
        {
            let description = object["error_description"]?.stringValue.map { ResponseExcerpt.scrub($0, secrets: all) }
            return AuthError.oauth(
                error: ResponseExcerpt.scrub(code, secrets: all), description: description, status: response.status,
                operation: operation, endpoint: endpoint)
        }
        return AuthError.unexpectedStatus(
            status: response.status, excerpt: ResponseExcerpt.make(response, secrets: all), operation: operation,
            endpoint: endpoint)
    }

    private func allSecrets(_ extra: [String]) -> [String] {
        var all = extra
        if let clientSecret { all.append(clientSecret.reveal()) }
        return all
    }
}
