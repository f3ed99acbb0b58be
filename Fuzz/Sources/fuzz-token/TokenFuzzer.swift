import Foundation
import FerryAuth
import FerryCore
import FuzzSupport
import SalesforceModels

/// A transport that answers every request with the current input, under the status it was made for.
final class InputTransport: HTTPTransport {
    let status: Int
    let body = FerryMutex(Data())

    init(status: Int) { self.status = status }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body.withLock { $0 })
    }
}

/// The client secret the providers hold; it must never appear in an error.
let secret = "fuzz-client-secret-s3cr3t"

/// One provider per status (200: the token decoder; 400 and 401: the OAuth error decoder), made once, and an
/// expiry reading for each, so every decoding path of `TokenExpiry` is reached.
let providers: [(InputTransport, ClientCredentialsTokenProvider)] = [
    (200, TokenExpiry.expiresIn), (200, .automatic()), (200, .sessionLifetime()), (200, .epochSeconds(field: "exp")),
    (200, .epochMilliseconds(field: "exp")), (200, .secondsFromNow(field: "ttl")), (400, .expiresIn), (401, .expiresIn),
].map { status, expiry in
    let transport = InputTransport(status: status)
    let configuration = ClientCredentialsTokenProvider.Configuration(
        tokenURL: URL(string: "https://fuzz.my.salesforce.com/services/oauth2/token")!,  // literal: valid
        clientID: "client", clientSecret: Secret(secret), expiry: expiry)
    // The configuration is valid (https, a client id, no introspection): a failure here is a harness bug.
    return (transport, try! ClientCredentialsTokenProvider(configuration: configuration, transport: transport, clock: ManualClock()))
}

/// Feeds arbitrary bytes to the token endpoint's decoders, through the public API: a
/// `ClientCredentialsTokenProvider` whose transport answers with the input as the body (status 200 for the
/// success decoder, 400 and 401 for the OAuth error decoder), and `OAuthErrorResponse.decode`.
///
/// Invariant: the client secret never appears in an error's description.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let body = input.data
    // The 200 readers take turns by input length; the error statuses run every time.
    let chosen = [providers[size % 6], providers[6], providers[7]]
    for (transport, provider) in chosen {
        transport.body.withLock { $0 = body }
        runBlocking {
            do {
                let token = try await provider.fetchToken()
                _ = token.description
            } catch {
                let text = String(describing: error)
                fuzzCheck(!text.contains(secret), "the client secret leaked into an error: \(text)")
            }
        }
        transport.body.withLock { $0 = Data() }
    }
    if let decoded = try? OAuthErrorResponse.decode(from: body) {
        _ = decoded.description
        _ = decoded.remedy
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_token_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
