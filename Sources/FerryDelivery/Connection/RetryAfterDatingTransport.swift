import FerryCore
import Foundation

/// Turns a `Retry-After` header in HTTP-date form into delta-seconds measured on the pipeline's clock, so a
/// destination (which has no clock) reads one form, and the pause is right under a test clock too. A date already
/// past becomes `0`; a value that is neither form is removed (the retry policy decides, as without the header).
struct RetryAfterDatingTransport: HTTPTransport {
    let transport: any HTTPTransport
    let clock: any FerryClock

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var response = try await transport.send(request)
        guard let value = response.headers["Retry-After"] else { return response }
        if let delay = RetryAfter.delay(value, now: clock.now) {
            // Whole seconds, rounded up: never shorter than the server asked for.
            let seconds = Int64(delay.seconds.rounded(.up))
            if String(seconds) != value { response.headers.replaceOrAdd(name: "Retry-After", value: String(seconds)) }
        } else {
            response.headers.remove(name: "Retry-After")
        }
        return response
    }
}
