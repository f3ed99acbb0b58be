import FerryAuth
import FerryCore
import Foundation
import Testing

/// Hostile token endpoint replies (deep JSON, megabytes of garbage, a huge error description) end in an
/// ``AuthError`` whose description is short and never holds the client secret.
@Suite("Resource limits against hostile token replies")
struct ResourceLimitTests {
    static let deep = Data(String(repeating: "[", count: 100_000).utf8)
    static let garbage = Data(String(repeating: "<html>\(Fixtures.clientSecret) ", count: 200_000).utf8)  // 8 MB
    static let hugeDescription = Data(
        #"{"error":"invalid_client","error_description":"\#(String(repeating: "x", count: 5_000_000))"}"#.utf8)

    @Test("a deep or huge reply is a malformed response or an OAuth error with a short description",
          arguments: [(200, deep), (200, garbage), (400, deep), (400, garbage), (401, hugeDescription)])
    func hostileReply(_ status: Int, _ body: Data) async throws {
        let transport = MockTransport(always: HTTPResponse(status: status, body: body))
        let provider = try Fixtures.provider(transport, clock: ManualClock())
        do {
            _ = try await provider.fetchToken()
            Issue.record("a hostile reply gave a token")
        } catch let error as AuthError {
            let expected: AuthError.Kind = status == 401 ? .oauth : status == 200 ? .malformedResponse : .unexpectedStatus
            #expect(error.kind == expected)
            #expect(!error.description.contains(Fixtures.clientSecret))
            #expect(error.description.utf8.count < 2_000, "\(error.description.utf8.count) bytes")
        }
    }
}
