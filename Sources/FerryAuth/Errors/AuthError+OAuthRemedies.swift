extension AuthError {
    /// What an OAuth error body means and what to do, from Salesforce's documented errors and the integration's
    /// Troubleshooting table; RFC 6749 codes other servers send are covered too.
    static func explainOAuth(error: String, description: String, operation: String) -> (what: String, fix: String) {
        let detail = description.lowercased()
        switch error {
        case "invalid_client_id":
            return ("the server does not know this client id",
                    "check the client id against the External Client App's Consumer Key (Settings > OAuth Settings "
                        + "> Consumer Key and Secret); a new app can take up to 10 minutes to become usable")
        case "invalid_client":
            return ("the client credentials were refused (wrong consumer key or secret, or an app that is not "
                        + "authorized)",
                    "regenerate the Consumer Key and Secret on the External Client App and update the "
                        + "configuration; make sure a Run As user is set under Policies > OAuth Policies and that "
                        + "the client authentication method (Basic header or body) is one the server accepts")
        case "invalid_grant" where detail.contains("no client credentials user enabled"):
            return ("the External Client App has no Run As user for the client credentials flow",
                    "set a Run As user (with API access and write permission on the target object) under "
                        + "Policies > OAuth Policies > Enable Client Credentials Flow")
        case "invalid_grant" where detail.contains("no valid scopes"):
            return ("the External Client App grants no usable OAuth scope",
                    "add the \"Manage user data via APIs (api)\" scope to the External Client App and make sure a "
                        + "Run As user is configured in the Client Credentials Flow policy")
        case "invalid_grant" where detail.contains("not supported on this domain"):
            return ("the client credentials flow is refused on this host",
                    "use the org's My Domain host (https://<your-domain>.my.salesforce.com, sandbox "
                        + "https://<your-domain>--<sandbox>.sandbox.my.salesforce.com), not login.salesforce.com "
                        + "or test.salesforce.com")
        case "invalid_grant":
            return ("the server refused the grant",
                    "check that the flow is enabled on the External Client App, that its Run As user is active, "
                        + "and for token exchange that the subject token is valid")
        case "invalid_request" where detail.contains("scope parameter not supported"):
            return ("the server does not accept a scope parameter",
                    "do not send a scope (leave it empty): the app's configured scopes are granted")
        case "invalid_request":
            return ("the server says the \(operation) is malformed",
                    "check the token URL, the client authentication method and any extra parameters")
        case "unsupported_grant_type":
            return ("the grant type is not enabled for this client",
                    "enable the Client Credentials Flow on the External Client App (Settings > OAuth Settings > "
                        + "Flow Enablement), or the Token Exchange Flow for token exchange")
        case "unauthorized_client":
            return ("this client may not use this grant type",
                    "enable the flow for this client on the authorization server (on Salesforce: Enable Client "
                        + "Credentials Flow on the External Client App)")
        case "invalid_app_access":
            return ("the Run As user is not approved to use this app",
                    "pre-authorize the Run As user: add its profile or a permission set to the External Client "
                        + "App's policies")
        case "invalid_scope":
            return ("the requested scope was refused",
                    "request no scope (Salesforce refuses the parameter) or only scopes the client may have")
        case "unsupported_token_type":
            return ("the server cannot \(operation == "revocation" ? "revoke" : "handle") this token type",
                    "pass an access or refresh token issued by this server")
        case "invalid_token":
            return ("the token is invalid, expired or already revoked", "fetch a new token")
        case "temporarily_unavailable", "server_error":
            return ("the authorization server had a problem", "retry later")
        default:
            return ("the server refused the \(operation)",
                    "read the server's error description; check the External Client App's configuration")
        }
    }
}
