import Ferry
import FerryTesting
import Foundation
import Testing

/// A host whose clock disagrees with the org's must still fetch about one token per session: the issue measured
/// 219 token requests for 2,000 deliveries when `issued_at` was a year behind.
@Suite("Token lifetime under clock skew")
struct ClockSkewTests {
    static let year: Duration = .seconds(365 * 24 * 3600)

    struct SkewCase: Sendable, CustomTestStringConvertible {
        let name: String
        let offset: Duration
        var testDescription: String { name }
    }

    static let skews: [SkewCase] = [
        SkewCase(name: "issued_at a year behind", offset: .zero - year),
        SkewCase(name: "issued_at an hour ahead", offset: .seconds(3600)),
        SkewCase(name: "issued_at current", offset: .zero),
    ]

    /// An exporter on a simulated org whose clock is `offset` from the exporter's.
    static func exporter(offset: Duration, clock: ManualClock) throws -> (SalesforceExporter, SimulatedSalesforceOrg) {
        let org = SimulatedSalesforceOrg(configuration: .init(clockOffset: offset), clock: clock)
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        let exporter = try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: "ferry-client-id", secret: "ferry-client-secret"),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ id }}", "npsScore": 7}"#), transport: org,
            configuration: .init(batchLinger: .zero), clock: clock)
        return (exporter, org)
    }

    @Test("2,000 deliveries fetch one token however skewed the org's clock", arguments: skews)
    func oneTokenForManyDeliveries(_ skew: SkewCase) async throws {
        let clock = ManualClock()
        let (exporter, org) = try Self.exporter(offset: skew.offset, clock: clock)
        for index in 0..<2_000 {
            try await exporter.send(["id": .string("user-\(index)")])
        }
        _ = await exporter.shutdown()
        let report = await exporter.report
        #expect(report.delivered == 2_000)
        #expect(org.counters.tokenRequests == 1)
        #expect(report.tokenRequests == 1)
    }

    @Test("a skewed session is renewed once per lifetime, measured from the token's arrival", arguments: skews)
    func oneFetchPerSession(_ skew: SkewCase) async throws {
        let clock = ManualClock()
        let (exporter, org) = try Self.exporter(offset: skew.offset, clock: clock)
        // Five hours of traffic, one delivery a minute: sessions of 2 hours need 3 tokens (at 0, ~2 h, ~4 h), and
        // none is refused by the org for having expired.
        for index in 0..<300 {
            try await exporter.send(["id": .string("user-\(index)")])
            // Delivered before the clock moves on, so each delivery happens at its own minute.
            while await exporter.report.delivered + exporter.report.failed <= index { await Task.yield() }
            clock.advance(by: .seconds(60))
        }
        _ = await exporter.shutdown()
        let report = await exporter.report
        #expect(report.delivered == 300)
        #expect(org.counters.tokenRequests == 3)
        #expect(org.counters.sessionsRefused == 0)
    }
}
