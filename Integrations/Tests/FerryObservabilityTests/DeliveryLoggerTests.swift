import Ferry
import FerryLogging
import FerryMetrics
import FerryTesting
import Foundation
import Logging
import MetricsTestKit
import Testing

@Suite("DeliveryLogger: delivery and auth events as swift-log records")
struct DeliveryLoggerTests {
    @Test("a delivery logs constant messages with the facts as metadata; a retry is info, a final failure an error")
    func levelsAndMetadata() async throws {
        let scenario = try Scenario()
        // The first Apex call answers 503: one retry, then delivered.
        scenario.org.inject(.sequence([.serverUnavailable], on: .apexREST))
        let (logger, store) = CapturingLogHandler.logger()
        let bridge = DeliveryLogger(logger: logger, destination: "NPS")
        let pipeline = try scenario.pipeline(onAuthEvent: bridge.authEventHandler)
        let events = try await scenario.run(pipeline, Scenario.items(1...1) + [Scenario.badItem])
        for event in events { bridge.log(event) }
        let records = store.all

        let retry = try #require(records.first { $0.message == "ferry.delivery.retry_scheduled" })
        #expect(retry.level == .info)
        #expect(retry.metadata["item_id"] == "nps-1")
        #expect(retry.metadata["attempt"] == "1")
        #expect(retry.metadata["status"] == "503")
        #expect(retry.metadata["error_code"] == "SERVER_UNAVAILABLE")
        #expect(retry.metadata["retry_delay_ms"] != nil)
        #expect(retry.metadata["destination"] == "NPS")

        let delivered = try #require(records.first { $0.message == "ferry.delivery.delivered" })
        #expect(delivered.level == .info)
        #expect(delivered.metadata["item_id"] == "nps-1")
        #expect(delivered.metadata["attempt"] == "2")
        #expect(delivered.metadata["status"] == "200")

        let failed = try #require(records.first { $0.message == "ferry.delivery.failed" })
        #expect(failed.level == .error)
        #expect(failed.metadata["item_id"] == "nps-bad")
        #expect(failed.metadata["error_code"] == "APEX_ERROR_STRING")
        #expect(failed.metadata["gave_up"] == "false")

        #expect(records.contains { $0.message == "ferry.auth.token_fetched" && $0.level == .debug })
        #expect(records.contains { $0.message == "ferry.delivery.attempt" && $0.level == .debug })
        // Nothing but retries and outcomes reaches `info` and above here; the 503 is never an error line.
        #expect(records.filter { $0.level >= .warning }.map(\.message) == ["ferry.delivery.failed"])
    }

    @Test("no line, message or metadata value carries the client secret or an access token")
    func neverASecret() async throws {
        let scenario = try Scenario()
        scenario.org.inject(.sequence([.serverUnavailable, .revokeSessions], on: .apexREST))
        let (logger, store) = CapturingLogHandler.logger()
        let bridge = DeliveryLogger(logger: logger)
        let pipeline = try scenario.pipeline(onAuthEvent: bridge.authEventHandler)
        let events = try await scenario.run(pipeline, Scenario.items(1...3) + [Scenario.badItem])
        for event in events { bridge.log(event) }
        let tokens = scenario.org.issuedAccessTokens
        #expect(tokens.count >= 2, "the revoked session made Ferry fetch a second token")
        let secrets = tokens + [SimulatedClient.example.secret.reveal()]
        let text = store.all.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(store.all.contains { $0.message == "ferry.delivery.session_expired" })
        for secret in secrets { #expect(!text.contains(secret)) }
    }

    @Test("a failed token fetch is an error while callers wait, a warning in the background")
    func authFailures() {
        let (logger, store) = CapturingLogHandler.logger()
        let bridge = DeliveryLogger(logger: logger)
        let date = Date(timeIntervalSince1970: 0)
        bridge.log(AuthEvent(kind: .fetchFailed, provider: "acme", date: date, detail: "HTTP 503"))
        bridge.log(AuthEvent(kind: .fetchFailed, provider: "acme", date: date, inBackground: true, detail: "HTTP 503"))
        bridge.log(AuthEvent(kind: .tokenRefreshedInBackground, provider: "acme", date: date))
        let records = store.all
        #expect(records.map(\.level) == [.error, .warning, .debug])
        #expect(records.map(\.message) == [
            "ferry.auth.fetch_failed", "ferry.auth.fetch_failed", "ferry.auth.token_refreshed_in_background",
        ])
        #expect(records[0].metadata["provider"] == "acme")
        #expect(records[0].metadata["message"] == "HTTP 503")
        #expect(records[1].metadata["in_background"] == "true")
    }

    @Test("events below the logger's level are not written")
    func respectsLevel() async throws {
        let scenario = try Scenario()
        let (logger, store) = CapturingLogHandler.logger(level: .info)
        let bridge = DeliveryLogger(logger: logger)
        let pipeline = try scenario.pipeline(onAuthEvent: bridge.authEventHandler)
        let events = try await scenario.run(pipeline, Scenario.items(1...2))
        await bridge.run(AsyncStream { continuation in
            for event in events { continuation.yield(event) }
            continuation.finish()
        })
        #expect(store.all.map(\.message) == ["ferry.delivery.delivered", "ferry.delivery.delivered"])
    }

    @Test("an outbox that cannot be read is an error line with the outbox's error, and counts in the metrics")
    func outboxError() async throws {
        let (logger, store) = CapturingLogHandler.logger()
        let bridge = DeliveryLogger(logger: logger)
        let testMetrics = TestMetrics()
        let metrics = DeliveryMetrics(factory: testMetrics)
        let clock = ManualClock()
        let pipeline = DeliveryPipeline(
            destination: ApexRESTDestination(url: try #require(URL(string: "https://acme.my.salesforce.com/x"))),
            transport: MockTransport(), outbox: FailingOutbox(), clock: clock)
        let events = pipeline.events()
        let reader = Task {
            for await event in events {
                bridge.log(event)
                metrics.record(event)
            }
        }
        try pipeline.start()
        await waitUntil { store.all.contains { $0.message == "ferry.delivery.outbox_error" } }
        _ = await pipeline.shutdown(within: .zero)
        await reader.value
        let line = try #require(store.all.first { $0.message == "ferry.delivery.outbox_error" })
        #expect(line.level == .error)
        #expect(line.metadata["message"]?.contains("Broken") == true)
        #expect(try testMetrics.expectCounter("ferry_outbox_errors_total").totalValue >= 1)
    }
}
