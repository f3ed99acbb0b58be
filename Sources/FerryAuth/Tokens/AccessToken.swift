import Foundation
import FerryCore

/// An OAuth 2.0 access token and what the token endpoint said about it.
///
/// Its `description`, `debugDescription` and reflection show at most the first ``AccessToken/shownPrefixLength``
/// characters of the value, so a token can be logged or dumped safely. Put it on a request with
/// ``authorizationHeaderValue``.
public struct AccessToken: Sendable, Hashable {
    /// The token itself. Never log it: use the token's `description`, which is redacted.
    public var value: String
    /// The token type, usually `Bearer`.
    public var type: String
    /// When the token was issued: the response's `issued_at` when it has one, else when it was received.
    public var issuedAt: Date
    /// When the token stops working, when known (see ``TokenExpiry``); `nil` means unknown.
    public var expiresAt: Date?
    /// Salesforce's `instance_url`: the base URL for REST calls with this token.
    public var instanceURL: URL?
    /// The granted scope, when the response says.
    public var scope: String?
    /// Every field of the token response except the credential-bearing ones (`access_token`, `refresh_token`,
    /// `id_token`), in order: `id`, `signature`, `api_instance_url` and anything new.
    public var fields: JSONObject

    /// How many leading characters of the value a description shows.
    public static let shownPrefixLength = 6

    /// Creates a token.
    /// - Parameters:
    ///   - value: The token.
    ///   - type: The token type (default `Bearer`).
    ///   - issuedAt: When it was issued.
    ///   - expiresAt: When it expires, if known.
    ///   - instanceURL: The instance URL, if any.
    ///   - scope: The granted scope, if any.
    ///   - fields: Other response fields (credential-bearing fields are dropped).
    public init(
        value: String, type: String = "Bearer", issuedAt: Date, expiresAt: Date? = nil, instanceURL: URL? = nil,
        scope: String? = nil, fields: JSONObject = [:]
    ) {
        self.value = value
        self.type = type
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.instanceURL = instanceURL
        self.scope = scope
        var fields = fields
        for name in AccessToken.credentialFields { fields[name] = nil }
        self.fields = fields
    }

    /// The value of an `Authorization` header carrying this token: `Bearer <token>`.
    public var authorizationHeaderValue: String {
        let scheme = type.lowercased() == "bearer" ? "Bearer" : type
        return "\(scheme) \(value)"
    }

    /// The token with all but its first few characters hidden, e.g. `00D5g0…(112 chars)`.
    public var redactedValue: String {
        AccessToken.redact(value)
    }

    /// Whether the token has expired at `date` (`false` when the expiry is unknown).
    /// - Parameter date: The time to check against.
    /// - Returns: `true` when ``expiresAt`` is known and not after `date`.
    public func isExpired(at date: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt <= date
    }

    static let credentialFields = ["access_token", "refresh_token", "id_token"]

    /// Shows the first ``shownPrefixLength`` characters (fewer for short values) and the length.
    static func redact(_ value: String) -> String {
        let shown = value.count >= 24 ? shownPrefixLength : 0
        return "\(value.prefix(shown))…(\(value.count) chars)"
    }
}

extension AccessToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The type, a redacted value and the expiry: `Bearer 00D5g0…(112 chars), expires 2026-…`.
    public var description: String {
        var text = "\(type) \(redactedValue)"
        if let expiresAt { text += ", expires \(expiresAt.formatted(.iso8601))" } else { text += ", expiry unknown" }
        return text
    }

    /// Like ``description`` with the instance URL and scope.
    public var debugDescription: String {
        var text = "AccessToken(\(description)"
        if let instanceURL { text += ", instance \(instanceURL.absoluteString)" }
        if let scope { text += ", scope \(scope)" }
        return text + ")"
    }

    /// A mirror that shows the redacted value in place of the token.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "value": redactedValue, "type": type, "issuedAt": issuedAt, "expiresAt": expiresAt as Any,
                "instanceURL": instanceURL as Any, "scope": scope as Any, "fields": fields.keys,
            ],
            displayStyle: .struct)
    }
}
