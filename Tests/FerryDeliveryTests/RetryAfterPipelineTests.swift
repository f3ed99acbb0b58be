import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import Testing

@Suite("Retry-After through the pipeline")
struct RetryAfterPipelineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let header: String
        /// Seconds between the first attempt and the retry, on the manual clock.
        let pause: TimeInterval
        var testDescription: String { name }
    }

    // The clock starts at Tue, 14 Nov 2023 22:13:20 GMT; the retry policy alone pauses 3 s (base 6 s, jitter 0.5).
    static let cases: [Case] = [
        Case(name: "delta-seconds", header: "42", pause: 42),
        Case(name: "IMF-fixdate", header: "Tue, 14 Nov 2023 22:14:02 GMT", pause: 42),
        Case(name: "RFC 850 date", header: "Tuesday, 14-Nov-23 22:14:02 GMT", pause: 42),
        Case(name: "asctime date", header: "Tue Nov 14 22:14:02 2023", pause: 42),
        Case(name: "a date in the past: no pause beyond the policy's", header: "Tue, 14 Nov 2023 22:00:00 GMT", pause: 3),
        Case(name: "garbage: the policy decides", header: "in a while", pause: 3),
    ]

    @Test("a 503's Retry-After, in either form, sets the pause on the pipeline's clock", arguments: cases)
    func pause(_ testCase: Case) async throws {
        let clock = ManualClock()
        let calls = FerryMutex<[Date]>([])
        let transport = MockTransport()
        transport.on(nil, "*") { _ in
            let call = calls.withLock { calls -> Int in
                calls.append(clock.now)
                return calls.count
            }
            if call == 1 {
                return HTTPResponse(
                    status: 503, headers: ["Retry-After": testCase.header],
                    text: #"[{"errorCode":"SERVER_UNAVAILABLE","message":"down"}]"#)
            }
            return HTTPResponse(status: 200, text: #""Success""#)
        }
        let log = OutcomeLog()
        let configuration = DeliveryPipeline.Configuration(
            concurrency: 1, batchLinger: .zero, retryPolicy: ExponentialBackoff(base: .seconds(6), random: { 0.5 }),
            outcomeHandler: log.handler)
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: Fixture.apexURL), transport: transport,
            configuration: configuration, clock: clock)
        try await pipeline.send(DeliveryItem(id: "x", payload: ["score": 9]))
        await drive(clock) { log.count == 1 }
        _ = await pipeline.shutdown()

        let times = calls.withLock { $0 }
        #expect(times.count == 2)
        #expect(log.outcomes.first?.status == .delivered)
        if times.count == 2 { #expect(times[1].timeIntervalSince(times[0]) == testCase.pause) }
    }
}
