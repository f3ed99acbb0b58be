import FerryCore
import FerryDelivery
import FerryTesting
import Foundation
import Testing

@Suite("Payloads over Salesforce's limits")
struct PayloadLimitTests {
    /// A payload of exactly `bytes` bytes of JSON: `{"c":"aaa…"}`.
    static func payload(bytes: Int) -> JSONValue {
        ["c": .string(String(repeating: "a", count: bytes - #"{"c":""}"#.utf8.count))]
    }

    @Test("an Apex REST payload over 6 MB fails before sending, is reported, and the others go")
    func apexOverSixMegabytes() async throws {
        let clock = ManualClock()
        let transport = MockTransport()
        transport.on(nil, "*", reply: HTTPResponse(status: 200, text: #""Success""#))
        let log = OutcomeLog()
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: Fixture.apexURL), transport: transport,
            configuration: .init(concurrency: 1, batchLinger: .zero, outcomeHandler: log.handler), clock: clock)
        #expect(ApexRESTDestination.requestBodyLimit == 6_000_000)
        try await pipeline.send(DeliveryItem(id: "small", payload: ["score": 9]))
        try await pipeline.send(DeliveryItem(id: "at-limit", payload: Self.payload(bytes: 6_000_000)))
        try await pipeline.send(DeliveryItem(id: "over-limit", payload: Self.payload(bytes: 6_000_001)))
        await drive(clock) { log.count == 3 }
        _ = await pipeline.shutdown()

        // Only the two within the limit reached the org.
        let sent = transport.requests.map { $0.headers["Idempotency-Key"] }
        #expect(sent == ["small", "at-limit"])
        #expect(transport.requests.last?.body?.count == 6_000_000)
        let report = pipeline.report
        #expect(report.delivered == 2)
        #expect(report.failed == 1)
        #expect(report.failuresByCode["PAYLOAD_TOO_LARGE"] == 1)
        let outcome = try #require(log.outcomes.first { $0.itemID == "over-limit" })
        #expect(outcome.status == .failed)
        #expect(outcome.attempts == 1)
        let failure = try #require(outcome.failure)
        #expect(failure.errorCode == DeliveryErrorCode.payloadTooLarge)
        #expect(failure.retryability == .final)
        #expect(failure.status == nil)
        #expect(failure.message.contains("6,000,001 bytes"))
        #expect(failure.message.contains("6,000,000 bytes"))
        #expect(failure.message.contains("not sent"))
        #expect(failure.message.contains("send less per record"))
    }
}
