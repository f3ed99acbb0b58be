/// An average request rate above zero, in requests per second. Zero, a negative rate or one that is not a finite
/// number cannot be made, so a rate limit can never stop a pipeline for good (a rate of 0 used to make every
/// request wait forever).
///
/// Write a literal where the rate is known (`configuration.requestsPerSecond = 20`); check a value read at run
/// time with ``init(_:for:)``. A literal of zero or less is a programming error and stops the program.
public struct RequestRate: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    CustomStringConvertible
{
    /// Requests per second on average, above zero and finite.
    public let perSecond: Double

    /// Checks a rate read at run time.
    /// - Parameters:
    ///   - perSecond: Requests per second.
    ///   - setting: The setting's name, for the error (`requestsPerSecond`, `--rate`).
    /// - Throws: ``ConfigurationError`` when the rate is zero, negative, infinite or not a number.
    public init(_ perSecond: Double, for setting: String) throws(ConfigurationError) {
        guard perSecond > 0, perSecond.isFinite else {
            throw ConfigurationError.notPositive(setting, value: String(perSecond), meaning: "requests per second")
        }
        self.perSecond = perSecond
    }

    /// A rate written in the code, in whole requests per second.
    /// - Parameter value: Requests per second; zero or less stops the program.
    public init(integerLiteral value: Int) {
        precondition(value > 0, "a RequestRate must be greater than zero, but the literal was \(value)")
        perSecond = Double(value)
    }

    /// A rate written in the code.
    /// - Parameter value: Requests per second; zero or less stops the program.
    public init(floatLiteral value: Double) {
        precondition(value > 0 && value.isFinite, "a RequestRate must be greater than zero, but the literal was \(value)")
        perSecond = value
    }

    /// Whether `lhs` is slower than `rhs`.
    /// - Parameters:
    ///   - lhs: One rate.
    ///   - rhs: The other.
    /// - Returns: `true` when `lhs` is slower.
    public static func < (lhs: RequestRate, rhs: RequestRate) -> Bool { lhs.perSecond < rhs.perSecond }

    /// The rate in requests per second.
    public var description: String { "\(perSecond)/s" }
}
