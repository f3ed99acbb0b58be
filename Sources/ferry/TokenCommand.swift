import Ferry
import Foundation

/// `ferry token`: requests one client-credentials token from an org, like the "Generate Token" button of a
/// webhook's OAuth setup, so a user can check the External Client App before wiring anything else.
enum TokenCommand: Command {
    static let name = "token"
    static let summary = "Request an OAuth token with client credentials (checks an External Client App)."
    static let help = """
        USAGE: ferry token --domain BASE_URL --client-id ID [--auth basic|body] [--json] [--reveal]

        Requests one access token with the OAuth 2.0 client credentials grant from
        BASE_URL/services/oauth2/token and prints what the org returned.

        OPTIONS:
          --domain BASE_URL  The org's My Domain, e.g. https://acme.my.salesforce.com (http:// only for
                             loopback test servers). login.salesforce.com, test.salesforce.com,
                             *.lightning.force.com and *.salesforce-setup.com are refused with the fix.
          --client-id ID     The External Client App's Consumer Key.
          --auth MODE        basic (default): credentials in an HTTP Basic header; body: in the form body.
          --json             Print one JSON object: token_type, instance_url, issued_at, expires_at (ISO 8601),
                             access_token (redacted unless --reveal), scope, id, expiry_rule.
          --reveal           Print the access token in full (it is a live credential: handle with care).

        ENVIRONMENT:
          FERRY_CLIENT_SECRET  The Consumer Secret (required; never passed on the command line).

        The expiry is expires_in when the server sends it, else issued_at + 2 hours (Salesforce sends none;
        the real lifetime is the org's session timeout).

        EXIT STATUS: 0 token received, 1 the server refused or could not be reached (stderr names the OAuth
        error and the remedy), 2 usage or configuration error (nothing was sent).
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let parsed: CommandLineArguments
        let domain: String
        let clientID: String
        let authentication: ClientAuthentication
        do {
            parsed = try CommandLineArguments(
                arguments, spec: .init(valued: ["domain", "client-id", "auth"], flags: ["json", "reveal"]))
            guard parsed.positionals.isEmpty else {
                throw UsageError("unexpected argument '\(parsed.positionals[0])'")
            }
            domain = try parsed.required("domain")
            clientID = try parsed.required("client-id")
            switch parsed.value("auth") ?? "basic" {
            case "basic": authentication = .basic
            case "body": authentication = .body
            case let other: throw UsageError("--auth must be basic or body; got '\(other)'")
            }
        } catch {
            Console.err("error: \(error)\nRun 'ferry token --help' for usage.\n")
            return ExitStatus.usage
        }
        let secret = Secret(ProcessInfo.processInfo.environment["FERRY_CLIENT_SECRET"] ?? "")
        guard !secret.isEmpty else {
            Console.err(
                "error: the client secret is missing: set the environment variable FERRY_CLIENT_SECRET to the "
                    + "External Client App's Consumer Secret (it is never read from the command line)\n")
            return ExitStatus.usage
        }
        let provider: ClientCredentialsTokenProvider
        do {
            provider = try ClientCredentialsTokenProvider.salesforce(
                myDomain: domain, clientID: clientID, clientSecret: secret, authentication: authentication)
        } catch {
            Console.err("error: \(error)\n")
            return ExitStatus.usage
        }
        do {
            let token = try await provider.fetchToken()
            let reveal = parsed.flag("reveal")
            Console.out(
                parsed.flag("json")
                    ? json(token, reveal: reveal, rule: provider.configuration.expiry) + "\n"
                    : text(token, reveal: reveal, provider: provider))
            return ExitStatus.success
        } catch let error as AuthError {
            var message = "error: \(error)\n"
            if let code = error.oauthError { message += "oauth error: \(code)\n" }
            Console.err(message)
            return ExitStatus.failure
        } catch {
            Console.err("error: \(error)\n")
            return ExitStatus.failure
        }
    }

    private static func iso(_ date: Date?) -> JSONValue {
        date.map { .string($0.formatted(.iso8601)) } ?? .null
    }

    static func json(_ token: AccessToken, reveal: Bool, rule: TokenExpiry) -> String {
        var object: JSONObject = [
            "token_type": .string(token.type),
            "instance_url": token.instanceURL.map { .string($0.absoluteString) } ?? .null,
            "issued_at": iso(token.issuedAt),
            "expires_at": iso(token.expiresAt),
            "access_token": .string(reveal ? token.value : token.redactedValue),
            "scope": token.scope.map { .string($0) } ?? .null,
        ]
        object["id"] = token.fields["id"] ?? .null
        object["expiry_rule"] = .string(rule.description)
        return JSONValue.object(object).jsonString()
    }

    static func text(_ token: AccessToken, reveal: Bool, provider: ClientCredentialsTokenProvider) -> String {
        var lines = ["Token received from \(provider.configuration.tokenURL.absoluteString)"]
        func add(_ name: String, _ value: String?) {
            guard let value else { return }
            lines.append("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        add("token_type", token.type)
        add("access_token", reveal ? token.value : token.redactedValue + "  (--reveal prints it)")
        add("instance_url", token.instanceURL?.absoluteString)
        add("issued_at", token.issuedAt.formatted(.iso8601))
        add("expires_at", token.expiresAt.map { "\($0.formatted(.iso8601))  (\(provider.configuration.expiry))" })
        add("scope", token.scope)
        add("id", token.fields["id"]?.stringValue)
        return lines.joined(separator: "\n") + "\n"
    }
}
