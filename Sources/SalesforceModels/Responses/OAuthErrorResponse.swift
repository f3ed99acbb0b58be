import FerryCore
import Foundation

/// An OAuth 2.0 error from the token, introspection or revocation endpoint:
/// `{"error":"invalid_client","error_description":"invalid client credentials"}`, with the cause and fix.
public struct OAuthErrorResponse: Sendable, Hashable, CustomStringConvertible {
    /// The `error` member, e.g. `invalid_grant`.
    public var error: String
    /// The `error_description` member, e.g. `no client credentials user enabled`.
    public var errorDescription: String?

    /// Creates a response.
    /// - Parameters:
    ///   - error: The `error` member.
    ///   - errorDescription: The `error_description` member.
    public init(error: String, errorDescription: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
    }

    /// Decodes the body of an OAuth error.
    /// - Parameter body: The body.
    /// - Returns: The error.
    /// - Throws: ``SalesforceResponseError`` when the body is not JSON or has no string `error`.
    public static func decode(from body: Data) throws(SalesforceResponseError) -> OAuthErrorResponse {
        let value = try JSONBody.parse(body, expecting: "an OAuth error {\"error\",\"error_description\"}")
        guard let error = value["error"]?.stringValue else {
            throw SalesforceResponseError(
                .unexpectedShape, "expected an OAuth error object with a string \"error\" member", body: body)
        }
        return OAuthErrorResponse(error: error, errorDescription: value["error_description"]?.stringValue)
    }

    /// The cause and what to do, from Salesforce's documented errors, or `nil` for an unknown combination.
    public var remedy: String? {
        let detail = errorDescription?.lowercased() ?? ""
        switch error {
        case "invalid_client_id":
            return "the client id (consumer key) is wrong; copy it again from the External Client App (a new app may need a few minutes to propagate)"
        case "invalid_client":
            return "the client secret (consumer secret) is wrong; regenerate it on the External Client App and update it here"
        case "invalid_grant" where detail.contains("no client credentials user enabled"):
            return "no Run As user is set: on the External Client App open Policies > OAuth Policies, enable the Client Credentials Flow and choose a Run As user"
        case "invalid_grant" where detail.contains("no valid scopes"):
            return "the app has no usable scope: add 'Manage user data via APIs (api)' to its OAuth scopes"
        case "invalid_grant" where detail.contains("not supported on this domain"):
            return "the token was requested from login.salesforce.com or test.salesforce.com: use the My Domain host, https://<MyDomain>.my.salesforce.com"
        case "invalid_request" where detail.contains("scope"):
            return "do not send a scope parameter: the client credentials flow uses the scopes set on the app"
        case "unsupported_grant_type":
            return "the client credentials flow is not enabled: enable it under the app's Flow Enablement and OAuth Policies"
        case "invalid_app_access":
            return "the Run As user is not approved for the app: pre-authorise the user's profile or permission set on the External Client App"
        default:
            return nil
        }
    }

    /// `error: error_description: remedy`.
    public var description: String {
        var text = error
        if let errorDescription, !errorDescription.isEmpty { text += ": \(errorDescription)" }
        if let remedy { text += " (\(remedy))" }
        return text
    }
}
