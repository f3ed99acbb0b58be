import Foundation
import FerryAuth
import FerryCore
import FuzzSupport
import SalesforceModels

/// A transport that answers every request with one canned response.
struct CannedTransport: HTTPTransport {
    let response: HTTPResponse

    func send(_ request: HTTPRequest) async throws -> HTTPResponse { response }
}

/// The expiry readings a token response is decoded with, chosen by the input's length.
let expiries: [TokenExpiry] = [
    .expiresIn, .automatic(), .sessionLifetime(), .epochSeconds(field: "exp"), .epochMilliseconds(field: "exp"),
    .secondsFromNow(field: "ttl"), .fixedLifetime(.seconds(60)),
]

/// Feeds arbitrary bytes to the token endpoint's decoders, through the public API: a
/// `ClientCredentialsTokenProvider` whose transport answers with the input as the body (status 200 for the
/// success decoder, 400 and 401 for the OAuth error decoder), and `OAuthErrorResponse.decode`.
///
/// Invariant: the client secret never appears in an error's description.
/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_token_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in
        if let data { return fuzz(data, size) }
        var empty: UInt8 = 0
        return withUnsafePointer(to: &empty) { fuzz($0, 0) }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let body = input.data
    let secret = "fuzz-client-secret-s3cr3t"
    for status in [200, 400, 401] {
        let response = HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: body)
        let configuration = ClientCredentialsTokenProvider.Configuration(
            tokenURL: URL(string: "https://fuzz.my.salesforce.com/services/oauth2/token")!,  // literal: valid
            clientID: "client", clientSecret: Secret(secret), expiry: expiries[size % expiries.count])
        guard let provider = try? ClientCredentialsTokenProvider(
            configuration: configuration, transport: CannedTransport(response: response), clock: ManualClock())
        else {
            fuzzCheck(false, "the provider could not be configured")
            return 0
        }
        runBlocking {
            do {
                let token = try await provider.fetchToken()
                _ = token.description
            } catch {
                let text = String(describing: error)
                fuzzCheck(!text.contains(secret), "the client secret leaked into an error: \(text)")
            }
        }
    }
    if let decoded = try? OAuthErrorResponse.decode(from: body) {
        _ = decoded.description
        _ = decoded.remedy
    }
    return 0
}
