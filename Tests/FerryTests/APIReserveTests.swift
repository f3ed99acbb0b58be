import Ferry
import FerryTesting
import Foundation
import Testing

@Suite("The org's daily API allowance kept")
struct APIReserveTests {
    /// An exporter on an org with a daily limit of 100 API requests, delivering one request at a time.
    static func exporter(
        org: SimulatedSalesforceOrg, clock: ManualClock, reserve: APIReserve?
    ) throws -> SalesforceExporter {
        try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: "ferry-client-id", secret: "ferry-client-secret"),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ id }}", "npsScore": 7}"#), transport: org,
            configuration: .init(concurrency: 1, batchLinger: .zero, apiReserve: reserve), clock: clock)
    }

    static func org(clock: ManualClock) -> SimulatedSalesforceOrg {
        let org = SimulatedSalesforceOrg(configuration: .init(dailyAPILimit: 100), clock: clock)
        org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
        return org
    }

    @Test("the reserve reached mid-run: nothing is sent past it, the rest fail with the usage")
    func reachedMidRun() async throws {
        let clock = ManualClock()
        let org = Self.org(clock: clock)
        let exporter = try Self.exporter(org: org, clock: clock, reserve: APIReserve())
        for index in 0..<120 { try await exporter.send(["id": .string("user-\(index)")]) }
        _ = await exporter.shutdown()
        let report = await exporter.report

        // The 90th answer shows 90/100 used: 10 left, the 10 % reserve. Nothing more is sent.
        #expect(org.counters.apiUsage == 90)
        #expect(org.counters.calls(.post, "/services/apexrest/CleverTap/InsertNPSFeedback") == 90)
        #expect(report.delivered == 90)
        #expect(report.failed == 30)
        #expect(report.failuresByCode["API_RESERVE_REACHED"] == 30)
        let failure = try #require(report.failures.first?.failure)
        #expect(failure.errorCode == DeliveryErrorCode.apiReserveReached)
        #expect(failure.message.contains("90/100"))
        #expect(failure.message.contains("10 %"))
        #expect(report.failures.first?.attempts == 0)
    }

    @Test("every pipeline sharing a reserve stops when one of them reaches it")
    func sharedByPipelines() async throws {
        let clock = ManualClock()
        let org = Self.org(clock: clock)
        let reserve = APIReserve(percent: 10)
        let first = try Self.exporter(org: org, clock: clock, reserve: reserve)
        let second = try Self.exporter(org: org, clock: clock, reserve: reserve)
        for index in 0..<95 { try await first.send(["id": .string("first-\(index)")]) }
        _ = await first.shutdown()
        for index in 0..<5 { try await second.send(["id": .string("second-\(index)")]) }
        _ = await second.shutdown()

        #expect(await first.report.delivered == 90)
        #expect(await second.report.delivered == 0)
        #expect(await second.report.failuresByCode["API_RESERVE_REACHED"] == 5)
        #expect(org.counters.apiUsage == 90)
    }

    @Test("a reserve of 0 % is off: requests go on until the org itself refuses")
    func turnedOff() async throws {
        let clock = ManualClock()
        let org = Self.org(clock: clock)
        let exporter = try Self.exporter(org: org, clock: clock, reserve: APIReserve(percent: 0))
        for index in 0..<100 { try await exporter.send(["id": .string("user-\(index)")]) }
        _ = await exporter.shutdown()
        #expect(await exporter.report.delivered == 100)
        #expect(org.counters.apiUsage == 100)
    }

    @Test("with a durable outbox the items not sent stay in it, with several deliverers, and shutdown returns")
    func keptInADurableOutbox() async throws {
        let clock = ManualClock()
        let org = Self.org(clock: clock)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-reserve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try FileOutbox(directory: directory)
        let exporter = try SalesforceExporter(
            org: org.org, credentials: .clientCredentials(id: "ferry-client-id", secret: "ferry-client-secret"),
            destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
            payload: .json(#"{"userId": "{{ id }}", "npsScore": 7}"#), transport: org, outbox: outbox,
            configuration: .init(concurrency: 4, batchLinger: .zero), clock: clock)
        for index in 0..<120 { try await exporter.send(["id": .string("user-\(index)")]) }
        let result = await exporter.shutdown()

        // Up to one request per deliverer was in flight when the answer showing 90/100 arrived.
        let delivered = result.report.delivered
        #expect((90...93).contains(delivered))
        #expect(org.counters.apiUsage == delivered)
        #expect(result.report.failed == 0)
        #expect(result.remaining?.outstanding == 120 - delivered)
        #expect(result.remaining?.dead == 0)
        try await outbox.close()
    }
}

