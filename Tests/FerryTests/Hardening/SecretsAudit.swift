import Ferry
import FerryTesting
import Foundation
import Testing

/// The secrets the audit plants and the fragments of them it searches every output for.
enum SecretsAudit {
    /// The client secret of the audited client.
    static let secret = "FERRY-SECRET-7f3a9c"
    /// A wrong secret, used for the error paths: it must not be echoed either.
    static let wrongSecret = "FERRY-WRONG-SECRET-2b8e41"
    /// Text every token the audited org issues carries after `<organisation id>!AQ4AQ`.
    static let tokenMarker = "FERRYTOKEN4d1e9b"
    /// The audited client's id (not a secret).
    static let clientID = "ferry-audit-client"
    /// Every token issued by a simulated org starts with its organisation id (shown in redacted tokens, and in the
    /// `id` URL) followed by this text: it must never appear.
    static let tokenInfix = "!AQ4AQ"
    /// The length of the fragments searched for.
    static let window = 12

    static let client = SimulatedClient(id: clientID, secret: Secret(secret))

    /// An org at the default My Domain whose client is ``client`` and whose tokens carry ``tokenMarker``.
    static func org(clock: any FerryClock = SystemClock()) -> SimulatedSalesforceOrg {
        let org = SimulatedSalesforceOrg(
            configuration: .init(clients: [client, .example], accessTokenMarker: tokenMarker), clock: clock)
        org.register(generatedClassFor: FaultMatrixHarness.spec)
        return org
    }

    /// Every string that must not appear: the secrets and each of their 12-character windows, the Basic credentials
    /// as sent, the token marker and infix, and each window of every issued token after its organisation id.
    static func fragments(tokens: [String]) -> Set<String> {
        var fragments: Set<String> = [tokenInfix, tokenMarker, "ferry-client-secret"]
        for text in [secret, wrongSecret] { fragments.formUnion(windows(of: text)) }
        for id in [clientID, SimulatedClient.example.id] {
            for text in [secret, wrongSecret, "ferry-client-secret"] {
                let basic = Data("\(id):\(text)".utf8).base64EncodedString()
                // The second half of the Basic credentials encodes the secret alone.
                fragments.formUnion(windows(of: String(basic.dropFirst(basic.count / 2))))
            }
        }
        for token in tokens {
            // The first 15 characters are the organisation id, which is not a secret.
            fragments.formUnion(windows(of: String(token.dropFirst(15))))
        }
        return fragments
    }

    static func windows(of text: String) -> [String] {
        let characters = Array(text)
        guard characters.count > window else { return [text] }
        return (0...(characters.count - window)).map { String(characters[$0..<$0 + window]) }
    }

    /// The fragments found in `text`.
    static func leaks(in text: String, tokens: [String]) -> [String] {
        fragments(tokens: tokens).filter { text.contains($0) }.sorted()
    }

    /// Every way a value can be printed: `String(describing:)`, `String(reflecting:)`, `dump`, and for errors
    /// `localizedDescription`.
    static func renderings(_ value: Any) -> String {
        var dumped = ""
        dump(value, to: &dumped)
        var text = String(describing: value) + "\n" + String(reflecting: value) + "\n" + dumped
        if let error = value as? any Error { text += "\n" + error.localizedDescription }
        return text
    }

    /// `value` encoded as JSON (for reports and outcomes), or a note that it could not be.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "<not encodable>"
    }
}

/// A token provider that counts its calls and hands out a fixed token.
final class CountingTokenProvider: TokenProvider {
    let calls = FerryMutex(0)
    let accessToken: AccessToken

    init(value: String) {
        accessToken = AccessToken(value: value, issuedAt: Date(), expiresAt: Date().addingTimeInterval(7200))
    }

    func token() async throws -> AccessToken {
        calls.withLock { $0 += 1 }
        return accessToken
    }

    func invalidate(_ token: AccessToken) async {}
}

/// Passes requests to a simulated org but reflects as nothing: the org's configuration holds the token marker
/// itself, and a dump of an exporter would otherwise print it through its transport.
struct ConcealedTransport: HTTPTransport, CustomReflectable {
    let org: SimulatedSalesforceOrg

    func send(_ request: HTTPRequest) async throws -> HTTPResponse { try await org.send(request) }

    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
