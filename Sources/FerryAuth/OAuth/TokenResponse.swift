import Foundation
import FerryCore

/// Reads a token endpoint's success body (RFC 6749 §5.1, or Salesforce's shape) into an ``AccessToken``.
enum TokenResponse {
    static func parse(
        _ object: JSONObject, expiry: TokenExpiry, receivedAt: Date, operation: String, endpoint: String
    ) throws(AuthError) -> AccessToken {
        func malformed(_ problem: String) -> AuthError {
            let shown = JSONObject(object.filter { !ResponseExcerpt.sensitiveKeys.contains($0.key) }.map { ($0.key, $0.value) })
            return AuthError.malformedResponse(
                status: 200, problem: problem, excerpt: "fields: " + shown.keys.joined(separator: ", "),
                operation: operation, endpoint: endpoint)
        }
        guard let value = object["access_token"]?.stringValue, !value.isEmpty else {
            throw malformed("it has no access_token string")
        }
        let type = object["token_type"]?.stringValue ?? "Bearer"
        let issuedAt = object["issued_at"] == nil ? receivedAt : ((try? TokenExpiry.epochDate(object, "issued_at")) ?? receivedAt)
        let expiresAt: Date?
        do {
            expiresAt = try expiry.expiry(in: object, issuedAt: issuedAt, receivedAt: receivedAt)
        } catch {
            throw malformed("\(error.message) (expiry option: \(expiry))")
        }
        let instanceURL = object["instance_url"]?.stringValue.flatMap { URL(string: $0) }
        return AccessToken(
            value: value, type: type, issuedAt: issuedAt, expiresAt: expiresAt, instanceURL: instanceURL,
            scope: object["scope"]?.stringValue, fields: object)
    }
}
