import FerryCore
import Foundation

/// A Salesforce org, addressed by its My Domain: the only kind of host that serves the OAuth 2.0 client
/// credentials flow and the REST API for it.
///
/// Accepted forms:
/// - production: `https://acme.my.salesforce.com`
/// - sandbox: `https://acme--uat.sandbox.my.salesforce.com`
/// - other My Domain hosts Salesforce issues: `*.develop.my.salesforce.com` (Developer Edition),
///   `*.scratch.my.salesforce.com`, `*.trailblaze.my.salesforce.com`, `*.demo.my.salesforce.com`,
///   `*.patch.my.salesforce.com`, and the Government Cloud `*.my.salesforce.mil`
/// - loopback, for tests: `http://127.0.0.1:8080`, `http://localhost:8080` (plain http only here)
///
/// Everything else is refused with the fix: `login.salesforce.com` and `test.salesforce.com` refuse the flow
/// (`request not supported on this domain`), and Lightning (`*.lightning.force.com`) and Setup
/// (`*.salesforce-setup.com`) hosts are not API hosts.
///
/// ```swift
/// let org = try SalesforceOrg("https://acme.my.salesforce.com")
/// org.kind            // .production
/// org.myDomainName    // "acme"
/// ```
public struct SalesforceOrg: Sendable, Hashable, CustomStringConvertible {
    /// Which kind of org the host names.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable { case production, sandbox, loopback }
        let code: Code

        /// A production (or Developer Edition, scratch, trial) org: `<name>.my.salesforce.com` and its variants.
        public static let production = Kind(code: .production)
        /// A sandbox: `<name>--<sandbox>.sandbox.my.salesforce.com`.
        public static let sandbox = Kind(code: .sandbox)
        /// A server on this machine, for tests.
        public static let loopback = Kind(code: .loopback)

        /// `"production"`, `"sandbox"` or `"loopback"`.
        public var description: String { code.rawValue }
    }

    /// The kind of org.
    public let kind: Kind
    /// The origin, e.g. `https://acme.my.salesforce.com` (no trailing slash).
    public let baseURL: URL
    /// The My Domain name (`acme`), or `nil` for loopback.
    public let myDomainName: String?
    /// The sandbox name (`uat` in `acme--uat.sandbox.my.salesforce.com`), or `nil`.
    public let sandboxName: String?

    /// Host suffixes of My Domain hosts (lowercased, with the leading dot).
    static let myDomainSuffixes = [
        ".my.salesforce.com", ".my.salesforce.mil",
    ]

    /// Parses and checks an org URL.
    /// - Parameter url: The org's My Domain URL, e.g. `https://acme.my.salesforce.com` (a trailing `/` is fine).
    /// - Throws: ``SalesforceOrgError`` saying which host to use instead.
    public init(_ url: String) throws(SalesforceOrgError) {
        var trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        // A bare host ("acme.my.salesforce.com") means its https:// origin.
        if !trimmed.isEmpty && !trimmed.contains("://") { trimmed = "https://" + trimmed }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let rawHost = components.host, !rawHost.isEmpty
        else {
            throw SalesforceOrgError(
                .invalidURL,
                "'\(SalesforceOrg.echo(url))' is not an org URL: write the My Domain URL with its scheme, for example https://acme.my.salesforce.com"
            )
        }
        let host = rawHost.lowercased()
        guard components.path.isEmpty || components.path == "/", components.query == nil,
            components.fragment == nil, components.user == nil, components.password == nil
        else {
            throw SalesforceOrgError(
                .hasPath,
                "'\(HTTPRequest.redactedOrigin(components))' must be the org's origin only, without a path, query or credentials: for example https://\(host)"
            )
        }
        if URLSecurityPolicy.isLoopback(host: host) {
            guard scheme == "http" || scheme == "https" else {
                throw SalesforceOrgError(.insecureScheme, "'\(SalesforceOrg.echo(url))' must use http:// or https://")
            }
            self.kind = .loopback
            self.myDomainName = nil
            self.sandboxName = nil
            self.baseURL = try SalesforceOrg.origin(scheme: scheme, host: rawHost, port: components.port, input: url)
            return
        }
        guard scheme == "https" else {
            throw SalesforceOrgError(
                .insecureScheme,
                "'\(SalesforceOrg.echo(url))' must use https://: plain http:// is allowed only to loopback hosts (127.0.0.1, ::1, localhost) for tests"
            )
        }
        try SalesforceOrg.refuseWellKnownWrongHosts(host)
        guard let suffix = SalesforceOrg.myDomainSuffixes.first(where: { host.hasSuffix($0) }) else {
            throw SalesforceOrgError(
                .notMyDomain,
                "\(host) is not a Salesforce My Domain host: use https://<MyDomain>.my.salesforce.com (production) or https://<MyDomain>--<Sandbox>.sandbox.my.salesforce.com (sandbox), as shown in Setup > My Domain"
            )
        }
        let prefix = String(host.dropLast(suffix.count))
        var labels = prefix.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let variants: Set<String> = ["sandbox", "develop", "scratch", "trailblaze", "demo", "patch", "free"]
        var isSandbox = false
        if labels.count == 2, variants.contains(labels[1]) {
            isSandbox = labels[1] == "sandbox"
            labels.removeLast()
        }
        guard labels.count == 1, let name = labels.first, SalesforceOrg.isValidDomainLabel(name) else {
            throw SalesforceOrgError(
                .notMyDomain,
                "\(host) is not a valid My Domain host: expected <MyDomain>.my.salesforce.com or <MyDomain>--<Sandbox>.sandbox.my.salesforce.com"
            )
        }
        if isSandbox {
            guard let range = name.range(of: "--"), !name[..<range.lowerBound].isEmpty,
                !name[range.upperBound...].isEmpty
            else {
                throw SalesforceOrgError(
                    .notMyDomain,
                    "\(host) is a sandbox host without a sandbox name: expected <MyDomain>--<Sandbox>.sandbox.my.salesforce.com"
                )
            }
            self.kind = .sandbox
            self.myDomainName = String(name[..<range.lowerBound])
            self.sandboxName = String(name[range.upperBound...])
        } else {
            self.kind = .production
            self.myDomainName = name
            self.sandboxName = nil
        }
        self.baseURL = try SalesforceOrg.origin(scheme: "https", host: host, port: components.port, input: url)
    }

    /// The origin as text, e.g. `https://acme.my.salesforce.com`.
    public var description: String { baseURL.absoluteString }

    private static func refuseWellKnownWrongHosts(_ host: String) throws(SalesforceOrgError) {
        if host == "login.salesforce.com" || host == "test.salesforce.com" {
            throw SalesforceOrgError(
                .loginHost,
                "\(host) does not serve the client credentials flow (Salesforce answers 'request not supported on this domain'): use your My Domain host, https://<MyDomain>.my.salesforce.com (sandbox: https://<MyDomain>--<Sandbox>.sandbox.my.salesforce.com)"
            )
        }
        if host.hasSuffix(".lightning.force.com") {
            let name = String(host.dropLast(".lightning.force.com".count))
            throw SalesforceOrgError(
                .lightningHost,
                "\(host) is the Lightning Experience host, not the API host: use the My Domain host, for example https://\(suggestion(from: name)).my.salesforce.com"
            )
        }
        if host.hasSuffix(".salesforce-setup.com") {
            let name = String(host.dropLast(".salesforce-setup.com".count))
            throw SalesforceOrgError(
                .setupHost,
                "\(host) is the Setup host, not the API host: use the My Domain host, for example https://\(suggestion(from: name)).my.salesforce.com"
            )
        }
    }

    /// `acme.sandbox.my` → `acme.sandbox` style hints: strip the trailing `.my` Lightning/Setup hosts carry.
    private static func suggestion(from name: String) -> String {
        name.hasSuffix(".my") ? String(name.dropLast(3)) : name
    }

    /// The input for an error message, unless it may carry credentials (`user:password@`).
    static func echo(_ input: String) -> String {
        input.contains("@") ? "<the URL, not shown because it contains credentials>" : input
    }

    private static func isValidDomainLabel(_ label: String) -> Bool {
        guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return false }
        return label.allSatisfy { $0.isASCIILetterCharacter || $0.isASCIIDigitCharacter || $0 == "-" }
    }

    private static func origin(scheme: String, host: String, port: Int?, input: String) throws(SalesforceOrgError)
        -> URL
    {
        var components = URLComponents()
        components.scheme = scheme
        components.host = host
        components.port = port
        guard let url = components.url else {
            throw SalesforceOrgError(.invalidURL, "'\(echo(input))' could not be turned into an org URL")
        }
        return url
    }
}

extension HTTPRequest {
    /// The scheme, host and port of `components`, without credentials, for messages.
    static func redactedOrigin(_ components: URLComponents) -> String {
        var copy = URLComponents()
        copy.scheme = components.scheme
        copy.host = components.host
        copy.port = components.port
        copy.path = components.path
        return copy.string ?? "<invalid URL>"
    }
}
