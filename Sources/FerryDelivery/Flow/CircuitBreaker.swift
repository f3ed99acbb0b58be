import FerryCore
import Foundation

/// The state machine that pauses a whole destination while it is down, so items wait instead of burning their
/// retries (and the org's API allocation) against an outage.
///
/// - **closed**: requests flow; consecutive transient failures are counted, and any success resets the count.
/// - **open**: after ``Configuration/failureThreshold`` consecutive transient failures nothing is sent until the
///   cool-down has passed.
/// - **half-open**: one probe request is let through. Its success closes the circuit; its failure opens it again
///   with the cool-down doubled (up to ``Configuration/maximumCooldown``).
///
/// Final failures (a 400, a missing field) prove the org is up, so they count as successes here. The type is a
/// plain value with no clock of its own: the caller passes the time, which makes every transition testable alone.
public struct CircuitBreaker: Sendable, Hashable {
    /// When the circuit opens and how long it stays open.
    public struct Configuration: Sendable, Hashable {
        /// Consecutive transient failures that open the circuit (default 5; at least 1 by its type).
        public var failureThreshold: PositiveCount
        /// The first cool-down (default 30 s; at least 1 ms: see ``validate()``).
        public var cooldown: Duration
        /// The longest cool-down after repeated failed probes (at least ``cooldown``). Unless set, it follows
        /// ``cooldown``: the longer of ``defaultMaximumCooldown`` and ``cooldown``, so changing the cool-down alone
        /// never makes the configuration inconsistent. A value set explicitly is kept as set (and checked).
        public var maximumCooldown: Duration {
            get { explicitMaximumCooldown ?? max(Self.defaultMaximumCooldown, cooldown) }
            set { explicitMaximumCooldown = newValue }
        }
        /// The caller's ``maximumCooldown``; `nil` while it follows ``cooldown``.
        private var explicitMaximumCooldown: Duration?

        /// The ``maximumCooldown`` when none is set and ``cooldown`` is shorter: 5 minutes.
        public static let defaultMaximumCooldown: Duration = .seconds(300)

        /// Creates a configuration.
        /// - Parameters:
        ///   - failureThreshold: Consecutive transient failures that open the circuit (default 5).
        ///   - cooldown: The first cool-down (default 30 s).
        ///   - maximumCooldown: The longest cool-down; `nil` (the default) follows `cooldown`: 5 minutes, or
        ///     `cooldown` when that is longer.
        public init(failureThreshold: PositiveCount = 5, cooldown: Duration = .seconds(30), maximumCooldown: Duration? = nil) {
            self.failureThreshold = failureThreshold
            self.cooldown = cooldown
            self.explicitMaximumCooldown = maximumCooldown
        }

        /// The shortest ``cooldown``: 1 ms. A cool-down of zero would probe an org that is down at once, after
        /// every failure, which is what the breaker exists to prevent.
        public static let minimumCooldown: Duration = .milliseconds(1)

        /// Checks the cool-downs: ``cooldown`` is at least ``minimumCooldown`` and ``maximumCooldown`` is not
        /// shorter than ``cooldown`` (the cool-down doubles after each failed probe up to the maximum, so a
        /// shorter maximum would shorten it instead). ``DeliveryPipeline/Configuration/validate()`` calls it.
        /// - Throws: ``ConfigurationError`` naming the setting, why it is wrong and what to do.
        public func validate() throws(ConfigurationError) {
            try ConfigurationError.check(
                cooldown, atLeast: Self.minimumCooldown, "circuitBreaker.cooldown",
                meaning: "how long the circuit stays open before a probe",
                reason: "zero would probe an org that is down after every failure")
            guard maximumCooldown >= cooldown else {
                throw ConfigurationError.inconsistent(
                    "circuitBreaker.maximumCooldown",
                    "circuitBreaker.maximumCooldown (\(maximumCooldown)) must not be shorter than "
                        + "circuitBreaker.cooldown (\(cooldown)): the cool-down doubles after each failed probe up "
                        + "to the maximum; raise maximumCooldown or shorten cooldown")
            }
        }
    }

    /// Where the circuit is.
    public enum State: Sendable, Hashable {
        /// Requests flow; `failures` consecutive transient failures so far.
        case closed(failures: Int)
        /// Nothing is sent until `until`; the cool-down that produced it is `cooldown`.
        case open(until: Date, cooldown: Duration)
        /// One probe may be sent (`probing` once it has been).
        case halfOpen(cooldown: Duration, probing: Bool)
    }

    /// What the caller may do now.
    public enum Permission: Sendable, Hashable {
        /// Send as usual.
        case send
        /// Send exactly this one request as the probe; hold the others until it answers.
        case probe
        /// Send nothing before this time.
        case wait(until: Date)
    }

    /// A change worth telling observers about.
    public enum Transition: Sendable, Hashable {
        /// The circuit opened (or re-opened after a failed probe) until the given time.
        case opened(until: Date)
        /// The probe succeeded: requests flow again.
        case closed
    }

    /// The configuration.
    public let configuration: Configuration
    /// The current state.
    public private(set) var state: State = .closed(failures: 0)

    /// Creates a closed circuit.
    /// - Parameter configuration: When it opens and for how long.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Asks whether a request may be sent at `now`; moves an open circuit whose cool-down has passed to half-open
    /// and hands out the single probe.
    /// - Parameter now: The current time.
    /// - Returns: The permission.
    public mutating func permission(at now: Date) -> Permission {
        switch state {
        case .closed:
            return .send
        case .open(let until, let cooldown):
            guard now >= until else { return .wait(until: until) }
            state = .halfOpen(cooldown: cooldown, probing: true)
            return .probe
        case .halfOpen(let cooldown, let probing):
            guard !probing else { return .wait(until: now.addingTimeInterval(cooldown.seconds)) }
            state = .halfOpen(cooldown: cooldown, probing: true)
            return .probe
        }
    }

    /// Records a request that reached the org (a success, or a final failure that proves the org is up).
    /// - Returns: ``Transition/closed`` when this ends a half-open probe.
    public mutating func recordSuccess() -> Transition? {
        switch state {
        case .closed:
            state = .closed(failures: 0)
            return nil
        case .halfOpen, .open:
            state = .closed(failures: 0)
            return .closed
        }
    }

    /// Records a transient failure (a 5xx, a timeout, a lock or limit error).
    /// - Parameter now: The current time.
    /// - Returns: ``Transition/opened(until:)`` when this opens the circuit.
    public mutating func recordTransientFailure(at now: Date) -> Transition? {
        switch state {
        case .closed(let failures):
            let count = failures + 1
            guard count >= configuration.failureThreshold.value else {
                state = .closed(failures: count)
                return nil
            }
            let until = now.addingTimeInterval(configuration.cooldown.seconds)
            state = .open(until: until, cooldown: configuration.cooldown)
            return .opened(until: until)
        case .halfOpen(let cooldown, _):
            let next = min(cooldown * 2, configuration.maximumCooldown)
            let until = now.addingTimeInterval(next.seconds)
            state = .open(until: until, cooldown: next)
            return .opened(until: until)
        case .open:
            // A request sent before the circuit opened failed late; the circuit is already open.
            return nil
        }
    }
}
