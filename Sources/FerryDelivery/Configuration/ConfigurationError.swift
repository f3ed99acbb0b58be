/// A setting given a value it cannot take: a count of zero or less, a size outside the range its component supports,
/// a rate that is not above zero, a duration that is negative or too short, or two settings that contradict each
/// other. Counts and rates are checked where the value is made (``PositiveCount/init(_:for:)``,
/// ``RequestRate/init(_:for:)``), so a configuration never holds one; durations and the relations between settings
/// are checked by ``DeliveryPipeline/Configuration/validate()`` before a pipeline starts, and a file outbox's sizes
/// by ``FileOutbox/Configuration/validate()`` when it opens, rather than found later when nothing is delivered.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case notPositive
        case negative
        case tooShort
        case inconsistent
        case outOfRange
    }

    let code: Code
    /// The setting, as the caller named it (`concurrency`, `--concurrency`, `circuitBreaker.cooldown`).
    public let setting: String
    /// What happened and what to do.
    public let message: String

    /// A value that must be positive was zero or negative (or not a finite number).
    /// - Parameters:
    ///   - setting: The setting's name.
    ///   - value: The value given, as text.
    ///   - meaning: What the setting counts, for the message.
    /// - Returns: The error.
    static func notPositive(_ setting: String, value: String, meaning: String) -> ConfigurationError {
        ConfigurationError(
            code: .notPositive, setting: setting,
            message: "\(setting) must be greater than zero (it is \(meaning)), but was \(value); pass a positive value "
                + "or leave the default")
    }

    /// A duration that may be zero was negative.
    static func negative(_ setting: String, value: Duration, meaning: String) -> ConfigurationError {
        ConfigurationError(
            code: .negative, setting: setting,
            message: "\(setting) must not be negative (it is \(meaning)), but was \(value); pass zero or more, "
                + "or leave the default")
    }

    /// A duration was below the shortest the setting can work with.
    static func tooShort(
        _ setting: String, value: Duration, minimum: Duration, meaning: String, reason: String
    ) -> ConfigurationError {
        ConfigurationError(
            code: .tooShort, setting: setting,
            message: "\(setting) must be at least \(minimum) (it is \(meaning); \(reason)), but was \(value); "
                + "pass a longer duration or leave the default")
    }

    /// Two settings contradict each other.
    static func inconsistent(_ setting: String, _ message: String) -> ConfigurationError {
        ConfigurationError(code: .inconsistent, setting: setting, message: message)
    }

    /// Checks that `value` is at least `minimum`.
    static func check(
        _ value: Duration, atLeast minimum: Duration, _ setting: String, meaning: String, reason: String
    ) throws(ConfigurationError) {
        guard value >= minimum else {
            throw tooShort(setting, value: value, minimum: minimum, meaning: meaning, reason: reason)
        }
    }

    /// Checks that a count (a size in bytes, for instance) is within `range`.
    static func check(
        _ value: Int, in range: ClosedRange<Int>, _ setting: String, meaning: String, reason: String
    ) throws(ConfigurationError) {
        guard !range.contains(value) else { return }
        let allowed = range.upperBound == .max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
        throw ConfigurationError(
            code: .outOfRange, setting: setting,
            message: "\(setting) must be \(allowed) (it is \(meaning); \(reason)), but was \(value); pass a value in "
                + "that range or leave the default")
    }

    /// Checks that `value` is zero or more.
    static func check(notNegative value: Duration, _ setting: String, meaning: String) throws(ConfigurationError) {
        guard value >= .zero else { throw negative(setting, value: value, meaning: meaning) }
    }

    /// The message.
    public var description: String { message }
}
