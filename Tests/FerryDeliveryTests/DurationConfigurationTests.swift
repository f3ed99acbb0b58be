import FerryCore
import FerryDelivery
import Testing

/// Item 6 of issue #15, durations and relations: every duration setting of a pipeline's configuration tree, and
/// `maximumAttempts`, refuse a value they cannot work with, at init and after a later mutation, with an error that
/// names the setting, says why and says what to do; a pipeline built with one accepts and delivers nothing.
@Suite("Configuration: durations and relations")
struct DurationConfigurationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// The setting the error must name.
        let setting: String
        /// Words the message must hold (what happened, why).
        let message: String
        let change: @Sendable (inout DeliveryPipeline.Configuration) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "negative batchLinger", setting: "batchLinger", message: "batchLinger must not be negative") {
            $0.batchLinger = .milliseconds(-1)
        },
        Case(name: "batchLinger of a third of the lease", setting: "batchLinger",
             message: "must be shorter than a third of leaseDuration") {
            $0.leaseDuration = .seconds(3)
            $0.batchLinger = .seconds(1)
        },
        Case(name: "zero leaseDuration", setting: "leaseDuration", message: "leaseDuration must be at least 0.1 seconds") {
            $0.leaseDuration = .zero
        },
        Case(name: "negative leaseDuration", setting: "leaseDuration", message: "but was -1.0 seconds") {
            $0.leaseDuration = .seconds(-1)
        },
        Case(name: "leaseDuration below 100 ms", setting: "leaseDuration", message: "renewed every third of it") {
            $0.batchLinger = .zero
            $0.leaseDuration = .milliseconds(99)
        },
        Case(name: "zero idlePollInterval", setting: "idlePollInterval",
             message: "idlePollInterval must be at least 0.001 seconds") {
            $0.idlePollInterval = .zero
        },
        Case(name: "idlePollInterval below 1 ms", setting: "idlePollInterval", message: "pass nil to look only when woken") {
            $0.idlePollInterval = .microseconds(999)
        },
        Case(name: "zero cool-down", setting: "circuitBreaker.cooldown",
             message: "circuitBreaker.cooldown must be at least 0.001 seconds") {
            $0.circuitBreaker.cooldown = .zero
        },
        Case(name: "negative cool-down", setting: "circuitBreaker.cooldown", message: "probe an org that is down") {
            $0.circuitBreaker.cooldown = .seconds(-30)
        },
        Case(name: "maximum cool-down below the cool-down", setting: "circuitBreaker.maximumCooldown",
             message: "must not be shorter than circuitBreaker.cooldown") {
            $0.circuitBreaker.maximumCooldown = .seconds(10)
        },
        Case(name: "zero maximumAttempts", setting: "retryPolicy.maximumAttempts",
             message: "retryPolicy.maximumAttempts must be greater than zero") {
            $0.retryPolicy = ExponentialBackoff(maximumAttempts: 0)
        },
        Case(name: "zero retry base", setting: "retryPolicy.base", message: "retryPolicy.base must be at least") {
            $0.retryPolicy = ExponentialBackoff(base: .zero)
        },
        Case(name: "retry cap below the base", setting: "retryPolicy.cap",
             message: "must not be shorter than retryPolicy.base") {
            $0.retryPolicy = ExponentialBackoff(base: .seconds(2), cap: .seconds(1))
        },
        Case(name: "negative limit pause", setting: "retryPolicy.limitPause",
             message: "retryPolicy.limitPause must not be negative") {
            $0.retryPolicy = ExponentialBackoff(limitPause: .seconds(-1))
        },
        Case(name: "zero retry deadline", setting: "retryPolicy.deadline", message: "use NoRetries for that") {
            $0.retryPolicy = ExponentialBackoff(deadline: .zero)
        },
    ]

    @Test("a wrong value, set after init, is named with why and what to do", arguments: cases)
    func mutation(_ testCase: Case) {
        var configuration = DeliveryPipeline.Configuration()
        testCase.change(&configuration)
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect(error.setting == testCase.setting)
            #expect(error.message.contains(testCase.message), "\(error.message)")
            #expect(error.message.contains("; "), "the message says what to do: \(error.message)")
            #expect(error.description == error.message)
        }
    }

    @Test("a pipeline built with a wrong value accepts nothing and starts no deliverer", arguments: cases)
    func pipelineRefuses(_ testCase: Case) async throws {
        var configuration = DeliveryPipeline.Configuration()
        testCase.change(&configuration)
        let destination = ScriptedDestination { batch, _ in batch.map { _ in ok } }
        let outbox = InMemoryOutbox()
        await outbox.enqueue(items(1, prefix: "earlier"))
        let pipeline = DeliveryPipeline(
            destination: destination, transport: UnusedTransport(), outbox: outbox, configuration: configuration,
            clock: ManualClock())
        do {
            try await pipeline.send(contentsOf: items(2))
            Issue.record("send accepted items with an invalid configuration")
        } catch let error as DeliveryError {
            let underlying = try #require(error.underlyingError as? ConfigurationError)
            #expect(error == .invalidConfiguration(underlying))
            #expect(error != .shutDown)
            #expect(underlying.setting == testCase.setting)
            #expect(error.message.contains("configuration is invalid"))
            #expect(error.message.contains(underlying.message))
        }
        // start() refuses the same way instead of returning as if deliverers ran.
        do {
            try pipeline.start()
            Issue.record("start() returned as if deliverers ran with an invalid configuration")
        } catch let error as DeliveryError {
            let underlying = try #require(error.underlyingError as? ConfigurationError)
            #expect(error == .invalidConfiguration(underlying))
            #expect(underlying.setting == testCase.setting)
        }
        let result = await pipeline.shutdown()
        #expect(destination.attempts.isEmpty)
        #expect(result.report.total == 0)
        // The item already in the outbox is not lost: the in-memory outbox hands it back at shutdown.
        #expect(result.undelivered.map(\.id) == ["earlier-1"])
    }

    @Test("the same wrong values given to the initialisers are refused the same way")
    func initialisers() {
        let configurations: [(String, DeliveryPipeline.Configuration)] = [
            ("batchLinger", .init(batchLinger: .milliseconds(-5))),
            ("leaseDuration", .init(leaseDuration: .milliseconds(50))),
            ("idlePollInterval", .init(idlePollInterval: .zero)),
            ("circuitBreaker.cooldown", .init(circuitBreaker: .init(cooldown: .zero))),
            ("circuitBreaker.maximumCooldown",
             .init(circuitBreaker: .init(cooldown: .seconds(600), maximumCooldown: .seconds(300)))),
            ("retryPolicy.maximumAttempts", .init(retryPolicy: ExponentialBackoff(maximumAttempts: -1))),
        ]
        for (setting, configuration) in configurations {
            #expect(throws: ConfigurationError.self, "\(setting)") { try configuration.validate() }
            #expect((try? configuration.validate()) == nil)
            do { try configuration.validate() } catch { #expect(error.setting == setting) }
        }
    }

    @Test("the defaults, and values at each minimum, are valid")
    func boundaries() throws {
        try DeliveryPipeline.Configuration().validate()
        var configuration = DeliveryPipeline.Configuration(
            batchLinger: .zero, leaseDuration: DeliveryPipeline.Configuration.minimumLeaseDuration,
            idlePollInterval: DeliveryPipeline.Configuration.minimumIdlePollInterval)
        configuration.circuitBreaker = .init(
            cooldown: CircuitBreaker.Configuration.minimumCooldown,
            maximumCooldown: CircuitBreaker.Configuration.minimumCooldown)
        configuration.retryPolicy = ExponentialBackoff(
            base: ExponentialBackoff.minimumBase, cap: ExponentialBackoff.minimumBase, maximumAttempts: 1,
            limitPause: .zero, deadline: ExponentialBackoff.minimumBase)
        try configuration.validate()
        // The linger just under a third of the lease.
        configuration.leaseDuration = .seconds(3)
        configuration.batchLinger = .milliseconds(999)
        try configuration.validate()
        // A policy without settings cannot be wrong.
        configuration.retryPolicy = NoRetries()
        try configuration.validate()
    }

    @Test("the circuit breaker's configuration no longer raises a short maximum cool-down silently")
    func noSilentClamp() {
        let configuration = CircuitBreaker.Configuration(cooldown: .seconds(60), maximumCooldown: .seconds(30))
        #expect(configuration.maximumCooldown == .seconds(30))
        #expect(throws: ConfigurationError.self) { try configuration.validate() }
    }

    @Test("a longer cool-down alone is valid: the unset maximum follows it; an explicit shorter maximum is not")
    func maximumCooldownFollows() throws {
        #expect(CircuitBreaker.Configuration().maximumCooldown == .seconds(300))
        let longer = CircuitBreaker.Configuration(cooldown: .seconds(600))
        #expect(longer.maximumCooldown == .seconds(600))
        try longer.validate()
        var mutated = CircuitBreaker.Configuration()
        mutated.cooldown = .seconds(900)
        #expect(mutated.maximumCooldown == .seconds(900))
        try DeliveryPipeline.Configuration(circuitBreaker: mutated).validate()

        let explicit = CircuitBreaker.Configuration(cooldown: .seconds(600), maximumCooldown: .seconds(300))
        #expect(explicit.maximumCooldown == .seconds(300))
        #expect(throws: ConfigurationError.self) { try explicit.validate() }
        var setThenRaised = CircuitBreaker.Configuration()
        setThenRaised.maximumCooldown = .seconds(300)
        setThenRaised.cooldown = .seconds(600)
        #expect(throws: ConfigurationError.self) { try setThenRaised.validate() }
    }

    @Test("a longer retry base alone is valid: the unset cap follows it; an explicit lower cap is not")
    func capFollowsBase() throws {
        #expect(ExponentialBackoff().cap == .seconds(60))
        let longer = ExponentialBackoff(base: .seconds(120))
        #expect(longer.cap == .seconds(120))
        try longer.validate()
        var mutated = ExponentialBackoff()
        mutated.base = .seconds(90)
        #expect(mutated.cap == .seconds(90))
        try DeliveryPipeline.Configuration(retryPolicy: mutated).validate()

        #expect(throws: ConfigurationError.self) { try ExponentialBackoff(base: .seconds(120), cap: .seconds(60)).validate() }
        var setThenRaised = ExponentialBackoff()
        setThenRaised.cap = .seconds(60)
        setThenRaised.base = .seconds(120)
        #expect(throws: ConfigurationError.self) { try setThenRaised.validate() }
    }

    @Test("an idle poll interval is kept as given, not clamped")
    func idlePollIntervalKept() {
        let configuration = DeliveryPipeline.Configuration(idlePollInterval: .microseconds(10))
        #expect(configuration.idlePollInterval == .microseconds(10))
    }
}

extension DurationConfigurationTests {
    @Test("the guide's example message is the one a 50 ms lease gets")
    func guideMessage() {
        var configuration = DeliveryPipeline.Configuration()
        configuration.leaseDuration = .milliseconds(50)
        do {
            try configuration.validate()
            Issue.record("a 50 ms lease was accepted")
        } catch {
            #expect(error.message.hasPrefix("leaseDuration must be at least 0.1 seconds (it is how long a deliverer holds the items"))
            #expect(error.message.hasSuffix("but was 0.05 seconds; pass a longer duration or leave the default"))
        }
    }
}
