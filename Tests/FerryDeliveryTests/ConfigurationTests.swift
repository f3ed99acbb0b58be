import FerryCore
import FerryDelivery
import Testing

/// Item 6 of issue #15: a configuration's counts cannot be set to values that stop delivery.
@Suite("Configuration that cannot be wrong")
struct ConfigurationTests {
    @Test("a count of zero or less cannot be made; the error names the setting and says what to do", arguments: [0, -1, Int.min])
    func notPositive(value: Int) throws {
        #expect(throws: ConfigurationError.self) { try PositiveCount(value, for: "concurrency") }
        do {
            _ = try PositiveCount(value, for: "concurrency")
        } catch {
            #expect(error.setting == "concurrency")
            #expect(error.message.contains("concurrency must be greater than zero"))
            #expect(error.message.contains("was \(value)"))
            #expect(error.description == error.message)
        }
    }

    @Test("a positive count keeps its value")
    func positive() throws {
        #expect(try PositiveCount(1, for: "concurrency").value == 1)
        #expect(try PositiveCount(250, for: "queueCapacity").value == 250)
        let literal: PositiveCount = 16
        #expect(literal.value == 16)
        #expect(literal.description == "16")
        #expect(PositiveCount(integerLiteral: 2) < literal)
    }

    @Test("setting concurrency, queue capacity or the failure threshold after init goes through the same check")
    func settersCannotTakeZero() throws {
        var configuration = DeliveryPipeline.Configuration()
        #expect(throws: ConfigurationError.self) { configuration.concurrency = try PositiveCount(0, for: "concurrency") }
        #expect(throws: ConfigurationError.self) { configuration.queueCapacity = try PositiveCount(0, for: "queueCapacity") }
        #expect(throws: ConfigurationError.self) {
            configuration.circuitBreaker.failureThreshold = try PositiveCount(0, for: "failureThreshold")
        }
        // A refused value leaves the setting as it was.
        #expect(configuration.concurrency == 8)
        #expect(configuration.queueCapacity == 10_000)
        #expect(configuration.circuitBreaker.failureThreshold == 5)
        configuration.concurrency = try PositiveCount(3, for: "concurrency")
        #expect(configuration.concurrency.value == 3)
    }

    @Test("a request rate of zero, below zero or not finite cannot be made", arguments: [0, -2, .infinity, .nan])
    func rateNotPositive(value: Double) throws {
        var configuration = DeliveryPipeline.Configuration()
        #expect(throws: ConfigurationError.self) {
            configuration.requestsPerSecond = try RequestRate(value, for: "requestsPerSecond")
        }
        #expect(configuration.requestsPerSecond == nil)
        do {
            _ = try RequestRate(value, for: "requestsPerSecond")
        } catch {
            #expect(error.setting == "requestsPerSecond")
            #expect(error.message.contains("requestsPerSecond must be greater than zero (it is requests per second)"))
        }
        configuration.requestsPerSecond = try RequestRate(2.5, for: "requestsPerSecond")
        #expect(configuration.requestsPerSecond?.perSecond == 2.5)
        configuration.requestsPerSecond = 20
        #expect(configuration.requestsPerSecond == RequestRate(integerLiteral: 20))
    }

    @Test("a pipeline whose concurrency was set after init starts that many deliverers and delivers")
    func concurrencySetLaterDelivers() async throws {
        let clock = ManualClock()
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        var configuration = DeliveryPipeline.Configuration(batchLinger: .zero)
        configuration.concurrency = try PositiveCount(1, for: "concurrency")
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), configuration: configuration, clock: clock)
        try await pipeline.send(contentsOf: items(3))
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 3)
    }
}
