import Foundation
import FerryCore

/// An org's My Domain base URL, checked before anything is sent: the only host on which Salesforce's client
/// credentials flow works.
///
/// Accepts `acme.my.salesforce.com`, `https://acme.my.salesforce.com` or `https://acme.my.salesforce.com/`
/// (and `http://` to a loopback host, for local test servers). Refuses, with the fix in the error:
/// `login.salesforce.com` and `test.salesforce.com` (Salesforce answers `invalid_grant: request not supported on
/// this domain`), `*.lightning.force.com` and `*.salesforce-setup.com` (UI hosts: the My Domain host is
/// suggested), a path, query or credentials in the URL, and plain `http://` to any other host.
public struct SalesforceMyDomain: Sendable, Hashable, CustomStringConvertible {
    /// The base URL, e.g. `https://acme.my.salesforce.com`, without a trailing slash.
    public let baseURL: URL

    /// Checks and normalises `text`.
    /// - Parameter text: A My Domain host or base URL.
    /// - Throws: ``AuthError`` of kind ``AuthError/Kind/wrongSalesforceHost`` or
    ///   ``AuthError/Kind/invalidConfiguration``.
    public init(_ text: String) throws(AuthError) {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw AuthError.invalidConfiguration(
                "the My Domain is empty", fix: "give the org's My Domain, e.g. https://acme.my.salesforce.com")
        }
        if !text.contains("://") { text = "https://" + text }
        guard let components = URLComponents(string: text), let host = components.host?.lowercased(), !host.isEmpty
        else {
            throw AuthError.invalidConfiguration(
                "'\(text)' is not a URL", fix: "give the org's My Domain, e.g. https://acme.my.salesforce.com")
        }
        let scheme = components.scheme?.lowercased() ?? ""
        guard components.user == nil, components.password == nil, components.query == nil,
            components.fragment == nil, components.path.isEmpty || components.path == "/"
        else {
            let example = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
            throw AuthError.invalidConfiguration(
                "the My Domain must be a base URL only, without a path, query or credentials",
                fix: "use \(example); Ferry adds /services/oauth2/token itself")
        }
        if let fix = SalesforceMyDomain.wrongHostFix(host) {
            throw AuthError.wrongSalesforceHost(host, fix: fix)
        }
        var base = URLComponents()
        base.scheme = scheme
        base.host = components.host
        base.port = components.port
        guard let url = base.url else {
            throw AuthError.invalidConfiguration(
                "'\(text)' is not a valid URL", fix: "give the org's My Domain, e.g. https://acme.my.salesforce.com")
        }
        do {
            try URLSecurityPolicy.validate(url)
        } catch {
            throw AuthError.invalidConfiguration(
                "\(error)", fix: "use https://; plain http:// is only for a test server on this machine",
                endpoint: HTTPRequest(method: .get, url: url).redactedURL)
        }
        baseURL = url
    }

    /// `baseURL` + `path`.
    /// - Parameter path: An absolute path such as `/services/oauth2/token`.
    /// - Returns: The endpoint URL.
    public func url(path: String) -> URL {
        // Safe: baseURL has a scheme and host and no path, and `path` is an ASCII path.
        URL(string: baseURL.absoluteString + path) ?? baseURL
    }

    /// The base URL.
    public var description: String { baseURL.absoluteString }

    /// The fix for a host the client credentials flow does not work on, or `nil` for an acceptable host.
    static func wrongHostFix(_ host: String) -> String? {
        let myDomainAdvice = "use the org's My Domain host (Setup > My Domain), e.g. https://<your-domain>.my.salesforce.com "
            + "or for a sandbox https://<your-domain>--<sandbox>.sandbox.my.salesforce.com"
        if host == "login.salesforce.com" || host == "test.salesforce.com" {
            return myDomainAdvice
        }
        if host.hasSuffix(".lightning.force.com") {
            let prefix = host.dropLast(".lightning.force.com".count)
            return "\(host) is the Lightning UI host; use https://\(prefix).my.salesforce.com"
        }
        if host.hasSuffix(".salesforce-setup.com") {
            var prefix = String(host.dropLast(".salesforce-setup.com".count))
            if prefix.hasSuffix(".my") { prefix = String(prefix.dropLast(3)) }
            return "\(host) is the Setup UI host; use https://\(prefix).my.salesforce.com"
        }
        return nil
    }
}
