import Foundation
import FerryCore

/// What an introspection endpoint (RFC 7662; Salesforce `POST /services/oauth2/introspect`) says about a token.
public struct TokenIntrospection: Sendable, Hashable {
    /// Whether the token is currently active.
    public var active: Bool
    /// The token's scope.
    public var scope: String?
    /// The client the token was issued to.
    public var clientID: String?
    /// The user the token acts for (Salesforce: the Run As user's username).
    public var username: String?
    /// The subject (`sub`).
    public var subject: String?
    /// The token type the server reports (Salesforce: `access_token`).
    public var tokenType: String?
    /// When the token expires (`exp`).
    public var expiresAt: Date?
    /// When the token was issued (`iat`).
    public var issuedAt: Date?
    /// When the token became usable (`nbf`).
    public var notBefore: Date?
    /// Every field of the answer, in order.
    public var fields: JSONObject

    /// Reads an introspection answer.
    /// - Parameter object: The JSON object the endpoint returned.
    public init(_ object: JSONObject) {
        func date(_ name: String) -> Date? {
            (try? TokenExpiry.epochDate(object, name))
        }
        active = object["active"]?.boolValue ?? false
        scope = object["scope"]?.stringValue
        clientID = object["client_id"]?.stringValue
        username = object["username"]?.stringValue
        subject = object["sub"]?.stringValue
        tokenType = object["token_type"]?.stringValue
        expiresAt = object["exp"] == nil ? nil : date("exp")
        issuedAt = object["iat"] == nil ? nil : date("iat")
        notBefore = object["nbf"] == nil ? nil : date("nbf")
        fields = object
    }
}
