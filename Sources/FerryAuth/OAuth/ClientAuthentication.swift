import Foundation
import FerryCore

/// How a client proves its identity to the token endpoint (RFC 6749 §2.3.1).
///
/// Salesforce accepts both. CleverTap's webhook setup calls them "Basic in header" and "in the body".
public struct ClientAuthentication: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case basic, body
    }

    let code: Code

    /// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (`client_secret_basic`, the RFC default).
    public static let basic = ClientAuthentication(code: .basic)
    /// `client_id` and `client_secret` form fields in the request body (`client_secret_post`).
    public static let body = ClientAuthentication(code: .body)

    /// `basic` or `body`.
    public var description: String { code.rawValue }

    /// Adds the credentials to a form request's headers or parameters.
    func apply(clientID: String, secret: Secret, headers: inout HTTPHeaders, parameters: inout [(String, String)]) {
        switch code {
        case .basic:
            let pair = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(secret.reveal())
            headers["Authorization"] = "Basic " + Data(pair.utf8).base64EncodedString()
        case .body:
            parameters.append(("client_id", clientID))
            parameters.append(("client_secret", secret.reveal()))
        }
    }
}
