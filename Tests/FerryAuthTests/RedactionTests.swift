import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("Secrets and tokens never print", .timeLimit(.minutes(1)))
struct RedactionTests {
    @Test("Secret: description, debugDescription, dump, reflection, interpolation and Encodable hide the value")
    func secret() throws {
        let secret = Secret(Fixtures.clientSecret)
        for form in Fixtures.printedForms(secret) + ["\(secret)", "\(String(describing: [secret]))"] {
            #expect(!form.contains(Fixtures.clientSecret))
        }
        #expect(String(describing: secret) == "<redacted>")
        #expect(Mirror(reflecting: secret).children.isEmpty)
        let encoded = String(decoding: try JSONEncoder().encode(["secret": secret]), as: UTF8.self)
        #expect(encoded == #"{"secret":"<redacted>"}"#)
        #expect(secret.reveal() == Fixtures.clientSecret)
    }

    @Test("Secret decodes from a JSON string and compares by value")
    func secretDecoding() throws {
        let decoded = try JSONDecoder().decode([String: Secret].self, from: Data(#"{"s":"abc"}"#.utf8))
        #expect(decoded["s"] == Secret("abc"))
        #expect(decoded["s"] != Secret("abd"))
        #expect(Secret("") .isEmpty)
    }

    @Test("AccessToken: every printed form shows at most the first characters")
    func accessToken() async throws {
        let transport = MockTransport(always: Fixtures.salesforce(1, issuedAt: Date(timeIntervalSince1970: 1_700_000_000)))
        let provider = try ClientCredentialsTokenProvider.salesforce(
            myDomain: "acme.my.salesforce.com", clientID: Fixtures.clientID, clientSecret: Secret(Fixtures.clientSecret),
            transport: transport, clock: ManualClock())
        let token = try await provider.token()
        let forms = Fixtures.printedForms(token) + ["\(token)", String(describing: [token]), token.redactedValue]
        for form in forms {
            #expect(!form.contains(Fixtures.tokenValue(1)))
            #expect(!form.contains("!AQ4AQ"))
        }
        #expect(token.description.hasPrefix("Bearer 00D5g0…(\(Fixtures.tokenValue(1).count) chars), expires 2023-11-15T00:13:20Z"))
        #expect(token.debugDescription.contains("instance https://acme.my.salesforce.com"))
    }

    @Test("configurations, providers and events never show the secret or the token")
    func providersAndConfiguration() async throws {
        let events = EventRecorder()
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            n == 1 ? Fixtures.standard(1) : Fixtures.oauthError(400, "invalid_client", "invalid client credentials")
        }
        let provider = try Fixtures.provider(transport, clock: clock, events: events)
        let token = try await provider.token()
        await provider.invalidate(token)
        _ = try? await provider.token()
        var forms = Fixtures.printedForms(provider) + Fixtures.printedForms(provider.configuration)
        forms += events.all.flatMap { Fixtures.printedForms($0) }
        forms += Fixtures.printedForms(StaticTokenProvider(token))
        #expect(events.all.map(\.kind) == [.tokenFetched, .tokenInvalidated, .fetchFailed])
        for form in forms {
            #expect(!form.contains(Fixtures.clientSecret))
            #expect(!form.contains(Fixtures.tokenValue(1)))
        }
    }

    @Test("errors from every path never contain the secret or the token")
    func errors() async throws {
        let secret = Fixtures.clientSecret
        let token = Fixtures.tokenValue(1)
        let bodies: [HTTPResponse] = [
            Fixtures.oauthError(400, "invalid_client", "invalid client credentials"),
            HTTPResponse(status: 500, text: "client_secret=\(secret)&access_token=\(token)"),
            HTTPResponse(status: 200, text: #"{"access_token":"\#(token)"}"#),
            HTTPResponse(status: 200, text: #"{"access_token":"\#(token)","expires_in":"#),
            HTTPResponse(status: 200, text: "not json \(token)"),
        ]
        for body in bodies {
            let provider = try Fixtures.provider(MockTransport(always: body), clock: ManualClock(), authentication: .body)
            let error = try await #require(throws: AuthError.self) { try await provider.token() }
            for form in Fixtures.printedForms(error) {
                #expect(!form.contains(secret))
                #expect(!form.contains(token))
            }
        }
    }
}
