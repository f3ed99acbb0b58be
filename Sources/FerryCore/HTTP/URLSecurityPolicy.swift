import Foundation

/// The rule every Ferry transport applies before sending: `https://` anywhere, plain `http://` only to this
/// machine.
///
/// A Salesforce org is always `https://`; plain HTTP is useful only for a local test server, and a bearer token
/// must never cross a network in clear text.
public enum URLSecurityPolicy {
    /// Whether `host` names this machine: `localhost` (and `*.localhost`), any address in `127.0.0.0/8`, or `::1`.
    /// - Parameter host: A URL host, with or without IPv6 brackets.
    /// - Returns: `true` for loopback hosts.
    public static func isLoopback(host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127" else { return false }
        return parts.allSatisfy { part in
            guard let octet = Int(part), !part.isEmpty, part.count <= 3 else { return false }
            return (0...255).contains(octet)
        }
    }

    /// Checks that `url` may be sent to: an `https` URL with a host, or an `http` URL to a loopback host.
    /// - Parameter url: The URL to check.
    /// - Throws: ``TransportError`` of kind ``TransportError/Kind/insecureURL`` or
    ///   ``TransportError/Kind/invalidURL``, without anything having been sent.
    public static func validate(_ url: URL) throws(TransportError) {
        let redacted = HTTPRequest.redact(url)
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw TransportError(.invalidURL, url: redacted)
        }
        switch scheme {
        case "https":
            return
        case "http":
            guard isLoopback(host: host) else { throw TransportError(.insecureURL, url: redacted) }
        default:
            throw TransportError(.invalidURL, url: redacted, detail: "unsupported scheme \(scheme)")
        }
    }
}
